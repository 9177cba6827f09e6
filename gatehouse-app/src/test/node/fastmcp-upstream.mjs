// A FastMCP server (npm `fastmcp`, the TypeScript framework) as a team would write one: no auth of its own, over
// stdio. Gatehouse guards it as an upstream. Its one argument names the instance (which upstream answered).
import { FastMCP } from "fastmcp";
import { z } from "zod";

const instance = process.argv[2] ?? "fastmcp";
const server = new FastMCP({ name: "payroll-" + instance, version: "1.0.0" });

server.addTool({
  name: "add",
  description: "Add two numbers",
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: async ({ a, b }) => String(a + b),
});

server.addTool({
  name: "whoami",
  description: "Which server instance answers",
  parameters: z.object({}),
  execute: async () => instance,
});

server.addTool({
  name: "salary_report",
  description: "Everyone's salary (confidential)",
  parameters: z.object({ team: z.string() }),
  execute: async ({ team }) => `${instance} salary report for ${team}: 3 people, 210000 EUR`,
});

server.start({ transportType: "stdio" });
