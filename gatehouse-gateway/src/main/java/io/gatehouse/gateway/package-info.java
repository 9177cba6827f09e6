/**
 * The upstream side of Gatehouse as an authorizing gateway: MCP client sessions (protocol 2025-11-25) to MCP
 * servers Gatehouse did not write, over Streamable HTTP or a stdio child process Gatehouse starts and supervises.
 * <p>
 * {@link io.gatehouse.gateway.UpstreamConfig} (built directly or by
 * {@link io.gatehouse.gateway.UpstreamConfigParser} from the {@code upstreams:} section of the configuration file)
 * describes one upstream; {@link io.gatehouse.gateway.Upstream#of} makes it, without contacting it;
 * {@link io.gatehouse.gateway.Upstream#openSession} gives the one {@link io.gatehouse.gateway.UpstreamSession} that
 * serves one client session, connected lazily; what the upstream sends on its own reaches the relay through an
 * {@link io.gatehouse.gateway.UpstreamListener}. Every failure is an {@link io.gatehouse.gateway.UpstreamException}
 * whose code and message can be given to the client as a JSON-RPC error. No client credential ever reaches an
 * upstream: the API has no way to pass one, and the HTTP client keeps no cookies.
 */
package io.gatehouse.gateway;
