// The VS Code client: starts `slac lsp` (on PATH, or the `slac.path` setting) for
// `.sla` files and leaves everything else to the server.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("slac").get("path") || "slac";
  client = new LanguageClient(
    "slac",
    "slac",
    { command, args: ["lsp"] },
    { documentSelector: [{ scheme: "file", language: "sla" }] }
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
