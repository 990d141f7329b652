/** The `nn` namespace: modules, layers, losses, `functional` and `init`. */
export { Module, KeyError, type ForwardHook, type ForwardPreHook, type StateDict, type LoadStateDictResult } from "./module";
export { Parameter } from "./parameter";
export { Linear, Sequential, ReLU, Sigmoid, Tanh, Dropout, Identity, Flatten, Softmax, LogSoftmax } from "./layers";
export { MSELoss, CrossEntropyLoss, NLLLoss, L1Loss, BCELoss, BCEWithLogitsLoss } from "./loss";
export * as functional from "./functional";
export * as init from "./init";

import { markEngineModules } from "./module";
import * as layers from "./layers";
import * as losses from "./loss";

// The engine's own modules: their nodes share one recorded stack per call (see Module.call).
markEngineModules([...Object.values(layers), ...Object.values(losses)]);
