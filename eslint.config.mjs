// Lint: ESLint's and typescript-eslint's recommended rules on the sources, tests and scripts
// (generated types are the schemas', not ours to lint). `npm run lint`; the test suite runs it.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".cache/**", ".bench/**", "src/generated/**", "corpus/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Tests read untyped JSON reports and match control characters (ANSI colour, escapes) on purpose.
  { files: ["test/**"], rules: { "@typescript-eslint/no-explicit-any": "off", "no-control-regex": "off" } },
  {
    languageOptions: { globals: { process: "readonly", Buffer: "readonly", console: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly", performance: "readonly", structuredClone: "readonly", TextDecoder: "readonly", TextEncoder: "readonly", queueMicrotask: "readonly", setImmediate: "readonly", __filename: "readonly", require: "readonly", module: "readonly" } },
  },
);
