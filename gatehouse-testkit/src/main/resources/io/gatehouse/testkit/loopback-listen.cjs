// Preloaded (node --require) into an HTTP MCP server under test: every listen(port) binds 127.0.0.1 only, and the
// port actually bound is printed to stderr so the test can find an ephemeral one (PORT=0).
const net = require("node:net");
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === "number" || (typeof args[0] === "string" && /^\d+$/.test(args[0]))) {
    const callback = args.find((a) => typeof a === "function");
    this.once("listening", () => process.stderr.write(`LISTENING ${this.address().port}\n`));
    return callback ? listen.call(this, Number(args[0]), "127.0.0.1", callback) : listen.call(this, Number(args[0]), "127.0.0.1");
  }
  return listen.apply(this, args);
};
