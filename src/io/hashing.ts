/** SHA-256 of files (streamed) and strings, for the manifest. */
import * as Effect from "effect/Effect"
import { createHash } from "node:crypto"
import { createReadStream } from "node:fs"
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
        createReadStream(path)
          .on("data", (chunk) => {
            bytes += chunk.length
            hash.update(chunk)
          })
          .on("error", reject)
          .on("end", () => resolve({ sha256: hash.digest("hex"), bytes }))
      }),
    catch: (error) => new FileSystemError({ path, message: (error as Error).message }),
  })

export const hashString = (text: string): FileDigest => ({
  sha256: createHash("sha256").update(text, "utf8").digest("hex"),
  bytes: Buffer.byteLength(text, "utf8"),
})
