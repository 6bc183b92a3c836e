/** SHA-256 of files (streamed) and strings, for the manifest. */
import * as Effect from "effect/Effect"
import { createHash } from "node:crypto"
import { createReadStream, existsSync } from "node:fs"
import { join } from "node:path"
import { FileSystemError } from "../errors.ts"

export interface FileDigest {
  readonly sha256: string
  readonly bytes: number
}

export const hashFile = (path: string): Effect.Effect<FileDigest, FileSystemError> =>
  Effect.tryPromise({
    try: () =>
      new Promise<FileDigest>((resolve, reject) => {
        const hash = createHash("sha256")
        let bytes = 0
        createReadStream(path, { highWaterMark: 1 << 20 })
          .on("data", (chunk) => {
            bytes += chunk.length
            hash.update(chunk)
          })
          .on("error", reject)
          .on("end", () => resolve({ sha256: hash.digest("hex"), bytes }))
      }),
    catch: (error) => new FileSystemError({ path, message: (error as Error).message }),
  })

/** SHA-256 of `package-lock.json` in the project root `root`, or null when there is none (a copy without one). */
export const hashLockfile = (root: string): Effect.Effect<string | null, FileSystemError> =>
  Effect.gen(function* () {
    const lockfile = join(root, "package-lock.json")
    if (!existsSync(lockfile)) return null
    return (yield* hashFile(lockfile)).sha256
  })

export const hashString = (text: string): FileDigest => ({
  sha256: createHash("sha256").update(text, "utf8").digest("hex"),
  bytes: Buffer.byteLength(text, "utf8"),
})

/**
 * JSON with every object's keys in code-unit order, at every depth (arrays keep their order): the
 * same text for the same value however its objects were built, so that its hash is a fingerprint
 * of the value (a site summary's settings_sha256).
 */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )
