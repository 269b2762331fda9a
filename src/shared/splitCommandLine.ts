import { WorkbenchError } from './errors'

/**
 * Splits a command line into words the way a POSIX shell does, without running one: whitespace separates,
 * '…' is literal, "…" honours \" \\ \$ \`, a backslash outside quotes escapes the next character.
 * Nothing is expanded ($VAR, globs, ~): the words go to the program as written.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let i = 0
  while (i < line.length) {
    const c = line[i]
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word)
      word = ''
      inWord = false
      i++
      continue
    }
    inWord = true
    if (c === "'") {
      const end = line.indexOf("'", i + 1)
      if (end === -1) throw unterminated("'", i)
      word += line.slice(i + 1, end)
      i = end + 1
    } else if (c === '"') {
      i++
      for (;;) {
        if (i >= line.length) throw unterminated('"', line.lastIndexOf('"'))
        const d = line[i]
        if (d === '"') break
        if (d === '\\' && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1])) {
          if (line[i + 1] !== '\n') word += line[i + 1]
          i += 2
        } else {
          word += d
          i++
        }
      }
      i++
    } else if (c === '\\') {
      if (i + 1 >= line.length)
        throw new WorkbenchError(
          'ERR_CONFIG_INVALID',
          'The command line ends with a lone backslash',
        )
      if (line[i + 1] !== '\n') word += line[i + 1]
      i += 2
    } else {
      word += c
      i++
    }
  }
  if (inWord) words.push(word)
  return words
}

function unterminated(quote: string, at: number): WorkbenchError {
  return new WorkbenchError(
    'ERR_CONFIG_INVALID',
    `The command line has an unterminated ${quote} quote (opened at character ${at + 1})`,
  )
}
