import { main } from "./main.js";

// The executable's process: runs the program once on process.argv and leaves the exit code for Node to use.

// `hooktape events list | head`: a reader that goes away is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`hooktape: ${String(error)}\n`);
    process.exitCode = 3;
  },
);
