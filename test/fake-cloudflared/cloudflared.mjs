#!/usr/bin/env node
// A stand-in for the `cloudflared` binary that plays the part of Cloudflare's NETWORK, so that
// hooktape's real tunnel code (src/tunnel/) can run against it unchanged on a machine with no
// internet. It accepts the argv the `cloudflared` npm package builds, prints on stderr the log
// lines real cloudflared prints (same timestamp and level format), and runs a loopback HTTP
// "edge" that forwards every request to the origin the way Cloudflare's edge does.
//
// Environment:
//   FAKE_CLOUDFLARED_STATE    file to write {"publicUrl","edgePort","pid","argv","tokenSource",
//                             "hooktapeVariables","variables"} to (JSON, atomically)
//   TUNNEL_HTTP_HOST_HEADER   read as real cloudflared reads it (or --http-host-header): the Host header sent to the
//                             origin, the original one moving to X-Forwarded-Host (ingress/origin_proxy.go)
//   FAKE_CLOUDFLARED_MODE     ok (default) | exit-early | no-url | no-connection |
//                             die-after:<ms> | ignore-sigint
//   FAKE_CLOUDFLARED_DELAY_MS delay before "Registered tunnel connection" (default 150)
//   FAKE_CLOUDFLARED_HOSTNAME public hostname of a named tunnel (default hooktape-test.example.com)
//   FAKE_CLOUDFLARED_CLIENT_IP the visitor address the edge reports (default 203.0.113.195)
//   FAKE_CLOUDFLARED_ACCOUNT  file standing in for the Cloudflare account's tunnels and DNS routes
//                             (default $HOME/.cloudflared/fake-account.json)
//   FAKE_CLOUDFLARED_LOGIN_DELAY_MS how long "the person in the browser" takes (default 100)
//
// Account subcommands (`tunnel login`, `create`, `route dns`, `list`, `delete`, and `tunnel run <id>` with the
// credentials file) keep their state in the account file and in ~/.cloudflared (cert.pem, <id>.json) as cloudflared
// does; their lines follow cloudflared's cmd/cloudflared/tunnel/subcommands.go and token/token.go.
//
// The log lines follow real cloudflared 2024.x output as quoted in the cloudflare/cloudflared
// GitHub repository's issues 946, 555, 1038 and 1173.
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import http from "node:http";

const VERSION = "2024.8.2";
const mode = process.env.FAKE_CLOUDFLARED_MODE ?? "ok";
const registerDelayMs = Number(process.env.FAKE_CLOUDFLARED_DELAY_MS ?? "150");
const clientIp = process.env.FAKE_CLOUDFLARED_CLIENT_IP ?? "203.0.113.195";
const location = "ams16";
const edgeIp = `198.41.200.${10 + Math.floor(Math.random() * 200)}`;

/** zerolog's console format as cloudflared configures it: `2024-07-09T08:18:43Z INF message`. */
function log(level, message) {
  const time = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  process.stderr.write(`${time} ${level} ${message}\n`);
}

/** cloudflared (urfave/cli) prints fatal errors bare, without timestamp, then exits 1. */
function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const booleans = new Set(["--no-autoupdate", "--hello-world", "-f", "--force"]);
  const valued = new Set(["--url", "--token", "--protocol", "--loglevel", "--metrics", "--grace-period", "--http-host-header"]);
  const positional = [];
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("-")) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.split(/=(.*)/s, 2);
    if (name === "--version" || name === "-v" || name === "-V") {
      flags.version = true;
    } else if (booleans.has(name)) {
      flags[name.slice(2)] = true;
    } else if (valued.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) fail(`Incorrect Usage: flag needs an argument: ${name}`);
      flags[name.slice(2)] = value;
    } else {
      fail(`Incorrect Usage: flag provided but not defined: ${name}`);
    }
  }
  return { positional, flags };
}

const { positional, flags } = parseArgs(process.argv.slice(2));

if (flags.version || positional[0] === "version") {
  process.stdout.write(`cloudflared version ${VERSION} (built 2024-08-19-1345 UTC)\n`);
  process.exit(0);
}
if (positional[0] !== "tunnel") {
  fail(`fake cloudflared: unsupported command ${JSON.stringify(process.argv.slice(2).join(" "))}`);
}

// ---- the account: what Cloudflare's API would hold, and ~/.cloudflared as cloudflared keeps it ----------------

const home = process.env.HOME || homedir();
const cloudflaredDir = join(home, ".cloudflared");
const certPath = process.env.TUNNEL_ORIGIN_CERT || join(cloudflaredDir, "cert.pem");
const accountFile = process.env.FAKE_CLOUDFLARED_ACCOUNT || join(cloudflaredDir, "fake-account.json");

function loadAccount() {
  try {
    return JSON.parse(readFileSync(accountFile, "utf8"));
  } catch {
    return { tunnels: [] };
  }
}
function saveAccount(account) {
  mkdirSync(cloudflaredDir, { recursive: true });
  writeFileSync(`${accountFile}.tmp`, JSON.stringify(account, null, 2));
  renameSync(`${accountFile}.tmp`, accountFile);
}
function findTunnel(account, nameOrId) {
  return account.tunnels.find((tunnel) => tunnel.id === nameOrId || tunnel.name === nameOrId);
}
function requireCert() {
  if (!existsSync(certPath)) {
    fail(`Cannot determine default origin certificate path. No file cert.pem in [~/.cloudflared ~/.cloudflare-warp ~/cloudflare-warp /etc/cloudflared /usr/local/etc/cloudflared]. You need to specify the origin certificate path by specifying the origincert option in the configuration file, or set TUNNEL_ORIGIN_CERT environment variable originCertPath=`);
  }
}

function login() {
  if (existsSync(certPath)) {
    fail(`You have an existing certificate at ${certPath} which login would overwrite.\nIf this is intentional, please move or delete that file then run this command again.`);
  }
  const callback = encodeURIComponent(`https://login.cloudflareaccess.org/${randomBytes(16).toString("base64url")}`);
  const url = `https://dash.cloudflare.com/argotunnel?aud=&callback=${callback}`;
  process.stdout.write(`Please open the following URL and log in with your Cloudflare account:\n\n${url}\n\nLeave cloudflared running to download the cert automatically.\n`);
  setTimeout(() => {
    mkdirSync(cloudflaredDir, { recursive: true });
    writeFileSync(certPath, `-----BEGIN ARGO TUNNEL TOKEN-----\n${randomBytes(48).toString("base64")}\n-----END ARGO TUNNEL TOKEN-----\n`, { mode: 0o600 });
    process.stdout.write(`You have successfully logged in.\nIf you wish to copy your credentials to a server, they have been saved to:\n${certPath}\n`);
    process.exit(0);
  }, Number(process.env.FAKE_CLOUDFLARED_LOGIN_DELAY_MS ?? "100"));
}

function createTunnel(name) {
  if (!name) fail('"cloudflared tunnel create" requires exactly 1 argument, the name of tunnel to create.');
  requireCert();
  const account = loadAccount();
  if (findTunnel(account, name)) fail("failed to create tunnel: Create Tunnel API call failed: tunnel with name already exists");
  const id = randomUUID();
  const credentials = join(cloudflaredDir, `${id}.json`);
  writeFileSync(credentials, JSON.stringify({ AccountTag: randomBytes(16).toString("hex"), TunnelSecret: randomBytes(32).toString("base64"), TunnelID: id }), { mode: 0o400 });
  account.tunnels.push({ id, name, createdAt: new Date().toISOString(), routes: [] });
  saveAccount(account);
  process.stdout.write(`Tunnel credentials written to ${credentials}. cloudflared chose this file based on where your origin certificate was found. Keep this file secret. To revoke these credentials, delete the tunnel.\n\nCreated tunnel ${name} with id ${id}\n`);
  process.exit(0);
}

function routeDns(nameOrId, host) {
  if (!nameOrId || !host) fail('"cloudflared tunnel route dns" requires exactly 2 arguments, the ID or name of the tunnel and the hostname.');
  requireCert();
  const account = loadAccount();
  const tunnel = findTunnel(account, nameOrId);
  if (!tunnel) fail(`${nameOrId} is neither the ID nor the name of any of your tunnels`);
  const owner = account.tunnels.find((item) => item.routes.includes(host));
  if (mode === "route-fails" || (owner && owner !== tunnel)) {
    log("ERR", `Failed to add route: code: 1003, reason: Failed to create record ${host} with err An A, AAAA, or CNAME record with that host already exists.`);
    process.exit(1);
  }
  if (!tunnel.routes.includes(host)) tunnel.routes.push(host);
  saveAccount(account);
  log("INF", `Added CNAME ${host} which will route to this tunnel tunnelID=${tunnel.id}`);
  process.exit(0);
}

function deleteTunnel(nameOrId) {
  requireCert();
  const account = loadAccount();
  const tunnel = findTunnel(account, nameOrId);
  if (!tunnel) fail(`${nameOrId} is neither the ID nor the name of any of your tunnels`);
  account.tunnels = account.tunnels.filter((item) => item !== tunnel);
  saveAccount(account);
  // cloudflared removes the credentials file of a tunnel it deletes; the DNS route stays in the zone.
  rmSync(join(cloudflaredDir, `${tunnel.id}.json`), { force: true });
  process.exit(0);
}

function listTunnels() {
  requireCert();
  const account = loadAccount();
  process.stdout.write("You can obtain more detailed information for each tunnel with `cloudflared tunnel info <name/uuid>`\n");
  process.stdout.write(`${"ID".padEnd(37)}${"NAME".padEnd(40)}${"CREATED".padEnd(21)}CONNECTIONS\n`);
  for (const tunnel of account.tunnels) process.stdout.write(`${tunnel.id} ${tunnel.name.padEnd(39)} ${tunnel.createdAt.slice(0, 19)}Z \n`);
  process.exit(0);
}

const accountCommand = positional[1];
if (accountCommand === "login") login();
else if (accountCommand === "create") createTunnel(positional[2]);
else if (accountCommand === "route" && positional[2] === "dns") routeDns(positional[3], positional[4]);
else if (accountCommand === "delete") deleteTunnel(positional[2]);
else if (accountCommand === "list") listTunnels();
const isAccountCommand = ["login", "create", "route", "delete", "list"].includes(accountCommand);

const named = !isAccountCommand && positional[1] === "run";
// Real cloudflared reads the token from --token or, failing that, from TUNNEL_TOKEN in its environment.
const tokenSource = flags.token ? "argv" : process.env.TUNNEL_TOKEN ? "env" : null;
if (named && !flags.token && process.env.TUNNEL_TOKEN) flags.token = process.env.TUNNEL_TOKEN;
// Without a token, a named tunnel is run by its name or id, with the credentials file `tunnel create` wrote.
const runById = named && !flags.token ? positional[2] : undefined;
if (named && !flags.token && !runById) fail('"cloudflared tunnel run" requires the ID or name of the tunnel to run as the last command line argument or in the configuration file.');
const originUrl = flags.url;
// urfave/cli: the flag, else its environment variable (cmd/cloudflared/tunnel/cmd.go, "http-host-header").
const originHostHeader = flags["http-host-header"] ?? process.env.TUNNEL_HTTP_HOST_HEADER ?? null;
if (!originUrl && !isAccountCommand) fail("fake cloudflared: only --url origins are supported");

const WORDS = [
  "buffalo", "marco", "cardiff", "motel", "lock", "revenues", "transferred", "garden", "pixel",
  "harbor", "tunes", "ridge", "copper", "olive", "signal", "quartz", "meadow", "orbit", "vivid",
];
function pickWords(n) {
  return Array.from({ length: n }, () => WORDS[Math.floor(Math.random() * WORDS.length)]).join("-");
}

let hostname;
let tunnelId = randomUUID();
if (isAccountCommand) {
  // login waits for its timer; nothing below runs for account commands.
} else if (runById) {
  const tunnel = findTunnel(loadAccount(), runById);
  const credentials = join(cloudflaredDir, `${tunnel?.id ?? runById}.json`);
  if (!tunnel || !existsSync(credentials)) {
    fail(`Tunnel credentials file '${credentials}' doesn't exist or is not a file`);
  }
  tunnelId = tunnel.id;
  hostname = tunnel.routes[0] ?? process.env.FAKE_CLOUDFLARED_HOSTNAME ?? "hooktape-test.example.com";
} else if (named) {
  // A real token is base64 JSON {"a": account tag, "t": tunnel id, "s": secret}.
  try {
    const decoded = JSON.parse(Buffer.from(flags.token, "base64").toString("utf8"));
    if (typeof decoded.t !== "string") throw new Error("no tunnel id");
    tunnelId = decoded.t;
  } catch {
    fail("Provided Tunnel token is not valid.");
  }
  hostname = process.env.FAKE_CLOUDFLARED_HOSTNAME ?? "hooktape-test.example.com";
} else {
  hostname = `${pickWords(4)}.trycloudflare.com`;
}
const publicUrl = `https://${hostname}`;

// ---- the edge: a loopback server that forwards like Cloudflare does ----------------------

const HOP_BY_HOP = new Set([
  "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
  "host",
]);
let registered = false;

function rayId() {
  return `${randomBytes(8).toString("hex")}-${location.slice(0, 3).toUpperCase()}`;
}

function errorPage(status, title, detail, ray) {
  return `<!DOCTYPE html>
<html lang="en-US"><head><title>${hostname} | ${status}: ${title}</title></head>
<body><div id="cf-wrapper"><h1><span>Error</span> <span>${status}</span></h1>
<h2>${title}</h2><p>${detail}</p>
<p>Cloudflare Ray ID: <strong>${ray.split("-")[0]}</strong> &bull; Performance &amp; security by Cloudflare</p>
</div></body></html>
`;
}

function forward(req, res) {
  const ray = rayId();
  const sendError = (status, title, detail) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const page = errorPage(status, title, detail, ray);
    res.writeHead(status, {
      "content-type": "text/html; charset=UTF-8",
      "content-length": Buffer.byteLength(page),
      server: "cloudflare",
      "cf-ray": ray,
    });
    res.end(page);
  };
  if (!registered) {
    // Error 1033: the hostname exists but no cloudflared connection is registered for it.
    sendError(530, "Argo Tunnel error", "Error 1033: the tunnel is not connected to Cloudflare.");
    return;
  }

  const headers = [];
  let forwardedFor;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    const value = req.rawHeaders[i + 1];
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower)) continue;
    // With httpHostHeader set, cloudflared Set()s X-Forwarded-Host to the Host the visitor sent, replacing theirs.
    if (originHostHeader !== null && lower === "x-forwarded-host") continue;
    if (lower === "x-forwarded-for") {
      forwardedFor = forwardedFor ? `${forwardedFor}, ${value}` : value;
      continue;
    }
    if (lower.startsWith("cf-") || lower === "cdn-loop" || lower === "x-forwarded-proto") continue;
    headers.push(name, value);
  }
  // Headers Cloudflare adds: https://developers.cloudflare.com/fundamentals/reference/http-headers/
  headers.push(
    "host", originHostHeader ?? hostname,
    ...(originHostHeader !== null ? ["x-forwarded-host", hostname] : []),
    "cf-ray", ray,
    "cf-connecting-ip", clientIp,
    "cf-ipcountry", "NL",
    "cf-visitor", '{"scheme":"https"}',
    "x-forwarded-for", forwardedFor ? `${forwardedFor}, ${clientIp}` : clientIp,
    "x-forwarded-proto", "https",
    "cdn-loop", "cloudflare",
  );
  if (req.headers["transfer-encoding"]) headers.push("transfer-encoding", "chunked");

  const origin = new URL(originUrl);
  const upstream = http.request({
    host: origin.hostname,
    port: origin.port || 80,
    method: req.method,
    path: req.url,
    headers,
    setHost: false,
  });
  upstream.on("response", (answer) => {
    const out = [];
    for (let i = 0; i < answer.rawHeaders.length; i += 2) {
      const lower = answer.rawHeaders[i].toLowerCase();
      if (HOP_BY_HOP.has(lower) && lower !== "transfer-encoding") continue;
      if (lower === "server") continue;
      out.push(answer.rawHeaders[i], answer.rawHeaders[i + 1]);
    }
    out.push("server", "cloudflare", "cf-ray", ray);
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out);
    answer.pipe(res);
    answer.on("error", () => res.destroy());
  });
  upstream.on("error", (error) => {
    const cause = `dial tcp ${origin.host}: connect: ${error.code === "ECONNREFUSED" ? "connection refused" : error.message}`;
    log(
      "ERR",
      ` error="Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: ${cause}" connIndex=0 event=1 ingressRule=0 originService=${originUrl}`,
    );
    log(
      "ERR",
      `Request failed error="Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: ${cause}" connIndex=0 dest=${publicUrl}${req.url} event=0 ip=${edgeIp} type=http`,
    );
    sendError(502, "Bad gateway", "The web server reported a bad gateway error.");
  });
  req.pipe(upstream);
  req.on("aborted", () => upstream.destroy());
}

const edge = http.createServer(forward);

function writeState() {
  const file = process.env.FAKE_CLOUDFLARED_STATE;
  if (!file) return;
  const address = edge.listening ? edge.address() : null;
  const state = {
    publicUrl,
    edgePort: address && typeof address === "object" ? address.port : null,
    pid: process.pid,
    // What a local user could see of this process, and what it inherited: tests check no secret leaks here.
    argv: process.argv.slice(2),
    tokenSource,
    hooktapeVariables: Object.keys(process.env).filter((name) => name.startsWith("HOOKTAPE_")),
    variables: Object.keys(process.env),
  };
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

// ---- signals --------------------------------------------------------------------------------

function shutDown(signalName) {
  log("INF", `Initiating graceful shutdown due to signal ${signalName} ...`);
  if (mode === "ignore-sigint") return; // a wedged cloudflared: only SIGKILL ends it
  if (registered) {
    log("INF", `Unregistered tunnel connection connIndex=0 event=0 ip=${edgeIp}`);
  }
  log("INF", "Tunnel server stopped");
  log("INF", "Metrics server stopped");
  edge.close();
  edge.closeAllConnections?.();
  process.exit(0);
}
process.on("SIGINT", () => shutDown("interrupt"));
process.on("SIGTERM", () => shutDown("terminated"));

// ---- the script of a run ------------------------------------------------------------------

function printPreamble() {
  log("INF", "Cannot determine default configuration path. No file [config.yml config.yaml] in [~/.cloudflared ~/.cloudflare-warp ~/cloudflare-warp /etc/cloudflared /usr/local/etc/cloudflared]");
  log("INF", `Version ${VERSION}`);
  log("INF", `GOOS: ${process.platform}, GOVersion: go1.22.5, GoArch: ${process.arch === "x64" ? "amd64" : process.arch}`);
  const settings = named
    ? `map[no-autoupdate:true token:***** url:${originUrl}]`
    : `map[ha-connections:1 no-autoupdate:true protocol:quic url:${originUrl}]`;
  log("INF", `Settings: ${settings}`);
  // Real cloudflared logs every TUNNEL_ variable of its environment, masking only the token and credentials
  // (logClientOptions in cmd/cloudflared/tunnel/configuration.go).
  const tunnelVariables = Object.entries(process.env)
    .filter(([name]) => name.includes("TUNNEL_"))
    .map(([name, value]) => `${name}:${name === "TUNNEL_TOKEN" || name === "TUNNEL_CRED_CONTENTS" ? "*****" : value}`);
  if (tunnelVariables.length > 0) log("INF", `Environmental variables map[${tunnelVariables.join(" ")}]`);
  log("INF", `Generated Connector ID: ${randomUUID()}`);
  log("INF", "Initial protocol quic");
  log("INF", "ICMP proxy will use 192.168.1.20 as source for IPv4");
  log("INF", `Starting metrics server on 127.0.0.1:${20241 + Math.floor(Math.random() * 100)}/metrics`);
}

function printQuickBanner() {
  const title = "Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):";
  const width = Math.max(title.length, publicUrl.length) + 4;
  const row = (text) => `|  ${text.padEnd(width - 4)}  |`;
  log("INF", `+${"-".repeat(width)}+`);
  log("INF", row(title));
  log("INF", row(publicUrl));
  log("INF", `+${"-".repeat(width)}+`);
}

function register() {
  registered = true;
  const connections = named ? 4 : 1;
  for (let index = 0; index < connections; index++) {
    const ip = index === 0 ? edgeIp : `198.41.192.${27 + index * 40}`;
    log("INF", `Registered tunnel connection connIndex=${index} connection=${randomUUID()} event=0 ip=${ip} location=${location} protocol=quic`);
  }
  const dieAfter = /^die-after:(\d+)$/.exec(mode);
  if (dieAfter) {
    setTimeout(() => {
      log("ERR", `Failed to serve quic connection error="timeout: no recent network activity" connIndex=0 event=0 ip=${edgeIp}`);
      log("ERR", 'Connection terminated error="timeout: no recent network activity" connIndex=0');
      log("ERR", "no more connections active and exiting");
      process.exit(1);
    }, Number(dieAfter[1]));
  }
}

function start() {
  writeState(); // edgePort null until the edge listens; tests need the pid from the start
  if (named) {
    log("INF", `Starting tunnel tunnelID=${tunnelId}`);
  } else {
    log("INF", "Thank you for trying Cloudflare Tunnel. Doing so, without a Cloudflare account, is a quick way to experiment and try it out. However, be aware that these account-less Tunnels have no uptime guarantee, are subject to the Cloudflare Online Services Terms of Use (https://www.cloudflare.com/website-terms/), and Cloudflare reserves the right to investigate your use of Tunnels for violations of such terms. If you intend to use Tunnels in production you should use a pre-created named tunnel by following: https://developers.cloudflare.com/cloudflare-one/connections/connect-apps");
    log("INF", "Requesting new quick Tunnel on trycloudflare.com...");
  }

  if (mode === "exit-early") {
    if (named) fail('Unauthorized: Invalid tunnel secret');
    fail('failed to request quick Tunnel: Post "https://api.trycloudflare.com/tunnel": dial tcp: lookup api.trycloudflare.com: no such host');
  }
  if (mode === "no-url") {
    // The API never answers: cloudflared sits on "Requesting new quick Tunnel..." forever.
    setInterval(() => {}, 1 << 30);
    return;
  }

  edge.listen(0, "127.0.0.1", () => {
    writeState();
    if (!named) printQuickBanner();
    printPreamble();
    if (mode === "no-connection") {
      // UDP/TCP 7844 blocked: the edge is never reached, cloudflared keeps retrying.
      setInterval(() => {
        log("WRN", `Failed to dial a quic connection error="failed to dial to edge with quic: timeout: no recent network activity" connIndex=0 event=0 addr={"udp":"${edgeIp}:7844"}`);
      }, 200);
      return;
    }
    setTimeout(register, registerDelayMs);
  });
}

if (!isAccountCommand) start();
