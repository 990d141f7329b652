/**
 * nn.init: fill parameters in place, under noGrad (so leaves that require grad can be filled),
 * drawing from the seeded global generator. Formulas and messages follow torch/nn/init.py.
 */
import { ValueError } from "../errors";
import { noGrad } from "../autograd/gradMode";
import type { Tensor } from "../tensor";

export type Nonlinearity =
  | "linear" | "conv1d" | "conv2d" | "conv3d" | "conv_transpose1d" | "conv_transpose2d" | "conv_transpose3d"
  | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "selu";

export type FanMode = "fan_in" | "fan_out";

/** The recommended gain for a nonlinearity (torch.nn.init.calculate_gain). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case "linear": case "conv1d": case "conv2d": case "conv3d":
    case "conv_transpose1d": case "conv_transpose2d": case "conv_transpose3d": case "sigmoid":
      return 1;
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.sqrt(2);
    case "leaky_relu": {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case "selu":
      return 3 / 4;
    default:
      throw new ValueError(`Unsupported nonlinearity ${String(nonlinearity)}`);
  }
}

/** fan_in = size(1)·receptive field, fan_out = size(0)·receptive field. */
export function calculateFanInAndFanOut(tensor: Tensor): { fanIn: number; fanOut: number } {
  const shape = tensor.shape;
  if (shape.length < 2) throw new ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  const receptiveField = shape.slice(2).reduce((p, d) => p * d, 1);
  return { fanIn: shape[1]! * receptiveField, fanOut: shape[0]! * receptiveField };
}

function fanFor(tensor: Tensor, mode: FanMode): number {
  if (mode !== "fan_in" && mode !== "fan_out") {
    throw new ValueError(`Mode ${String(mode)} not supported, please use one of ['fan_in', 'fan_out']`);
  }
  const { fanIn, fanOut } = calculateFanInAndFanOut(tensor);
  return mode === "fan_in" ? fanIn : fanOut;
}

export function uniform_<T extends Tensor>(tensor: T, a = 0, b = 1): T {
  return noGrad(() => tensor.uniform_(a, b));
}

export function normal_<T extends Tensor>(tensor: T, mean = 0, std = 1): T {
  return noGrad(() => tensor.normal_(mean, std));
}

export function constant_<T extends Tensor>(tensor: T, value: number): T {
  return noGrad(() => tensor.fill_(value));
}

export function zeros_<T extends Tensor>(tensor: T): T {
  return constant_(tensor, 0);
}

export function ones_<T extends Tensor>(tensor: T): T {
  return constant_(tensor, 1);
}

export interface KaimingOptions {
  /** The negative slope of the rectifier after this layer (leaky_relu only). */
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

/** U(−bound, bound) with bound = gain·√(3 / fan) (He et al., 2015). */
export function kaimingUniform_<T extends Tensor>(tensor: T, { a = 0, mode = "fan_in", nonlinearity = "leaky_relu" }: KaimingOptions = {}): T {
  const std = calculateGain(nonlinearity, a) / Math.sqrt(fanFor(tensor, mode));
  const bound = Math.sqrt(3) * std;
  return uniform_(tensor, -bound, bound);
}

/** N(0, std²) with std = gain / √fan. */
export function kaimingNormal_<T extends Tensor>(tensor: T, { a = 0, mode = "fan_in", nonlinearity = "leaky_relu" }: KaimingOptions = {}): T {
  const std = calculateGain(nonlinearity, a) / Math.sqrt(fanFor(tensor, mode));
  return normal_(tensor, 0, std);
}

/** U(−a, a) with a = gain·√(6 / (fan_in + fan_out)) (Glorot & Bengio, 2010). */
export function xavierUniform_<T extends Tensor>(tensor: T, gain = 1): T {
  const { fanIn, fanOut } = calculateFanInAndFanOut(tensor);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(tensor, -bound, bound);
}

/** N(0, std²) with std = gain·√(2 / (fan_in + fan_out)). */
export function xavierNormal_<T extends Tensor>(tensor: T, gain = 1): T {
  const { fanIn, fanOut } = calculateFanInAndFanOut(tensor);
  return normal_(tensor, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}
