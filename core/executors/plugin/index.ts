// Public surface of core/executors/plugin: Argo's HTTP executor-plugin protocol.
export { callTemplateExecute, type PluginCall, type PluginReply } from './argo-protocol.js';
