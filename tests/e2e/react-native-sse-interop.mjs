// Metro (React Native's bundler) hands `import EventSource from "react-native-sse"` the class itself; Node's
// CommonJS interop hands it the module object. This loader hook gives the docs' example what Metro gives it.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === "react-native-sse" && context.parentURL?.includes("/.examples/"))
    return { url: new URL("./react-native-sse-default.mjs", import.meta.url).href, shortCircuit: true };
  return nextResolve(specifier, context);
}
