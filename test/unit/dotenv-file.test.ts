import { describe, expect, it } from 'vitest';
import { checkDotenvLines } from '../../src/stores/dotenv-file.js';

describe('checkDotenvLines: accepted (what the dotenv package parses)', () => {
  it.each([
    ['empty', ''],
    ['comments and blanks', '# c\n\n   # indented\n'],
    ['plain', 'A=1\nB = two\n'],
    ['export prefix', 'export A=1\n'],
    ['dotted and dashed names', 'a.b=1\nc-d=2\n'],
    ['double quotes', 'A="x y"\n'],
    ['single quotes', "A='x y'\n"],
    ['backticks', 'A=`x y`\n'],
    ['an escaped quote inside', 'A="x \\" y"\n'],
    ['multi-line double-quoted', 'A="line 1\nline 2"\nB=3\n'],
    ['multi-line single-quoted', "A='line 1\nline 2\nline 3'\n"],
    ['CRLF', 'A=1\r\nB=2\r\n'],
    ['an inline comment', 'A=1 # note\n'],
    ['an empty value', 'A=\n'],
    ['YAML-ish colon form', 'A: 1\n'],
    ['a U+2028 inside quotes', 'A=\'pt-a\u2028b\'\nB="x\u2029y"\n'],
    ['a comment or spaces after the closing quote', 'A="a" # note\nB=\'b\'   \nC="c"#x\n'],
    ['text after a one-line quoted value (the loaders differ on that value only)', 'MSG="hello" world\n'],
  ])('%s', (_name, text) => {
    expect(() => checkDotenvLines(text)).not.toThrow();
  });
});

describe('checkDotenvLines: rejected, naming the line', () => {
  it.each([
    ['GARBAGE\n', 'line 1: expected NAME=value'],
    ['A=1\njust words here\n', 'line 2: expected NAME=value'],
    ['=value\n', 'line 1'],
    ['A="never closed\nB=2\n', 'line 1: quoted value is never closed'],
    ["A=1\nB='open\n", 'line 2: quoted value is never closed'],
    ['A="escaped at end\\"\n', 'line 1: quoted value is never closed'],
    // U+2028/U+2029 only inside quotes: elsewhere Node's dotenv reads a line break, python-dotenv not.
    ["A='pt-x'\u2028B=hijacked\n", 'line 1: holds a Unicode line separator'],
    ['A=pt-x #c\u2028B=x\n', 'line 1: holds a Unicode line separator'],
    ['# note\u2028B=x\n', 'line 1: holds a Unicode line separator'],
    ['A=plain\u2028value\n', 'line 1: holds a Unicode line separator'],
    ['A="multi\nline"\u2029B=1\n', 'line 2: holds a Unicode line separator'],
    // Text after the closing quote of a value with line breaks: Node's dotenv then reads the quotes as
    // text and its line breaks start new lines (another variable); python-dotenv refuses the line.
    ['X="a\nQOVERY_API_TOKEN=qov_x "c\n', 'line 2: text after the closing quote'],
    ['X="a #\u2028QOVERY_API_TOKEN=qov_x"c\n', 'line 1: text after the closing quote'],
  ])('%j → %s', (text, message) => {
    expect(() => checkDotenvLines(text)).toThrow(message);
  });
});
