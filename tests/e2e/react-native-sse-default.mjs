// The react-native-sse class as its default export (see react-native-sse-interop.mjs).
import module from "react-native-sse";

export default module.default ?? module;
