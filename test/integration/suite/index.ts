/**
 * Entry point VS Code loads as `extensionTestsPath`: runs the suites with mocha inside the
 * extension host and reports failures through the returned promise.
 */
import Mocha from "mocha";

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: "bdd", timeout: 90_000, color: false, reporter: "spec" });
  // Give the suite files mocha's globals (describe/it) before they are evaluated; the
  // require()s below are bundled by esbuild and evaluated only here.
  mocha.suite.emit("pre-require", globalThis, "integration", mocha);
  require("./extension.test");
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // The runner outside VS Code reads this line for the overall count.
      console.log(`integration: ${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
