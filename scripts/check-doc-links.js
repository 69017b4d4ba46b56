#!/usr/bin/env node
// Checks that every relative link in README.md and docs/**/*.md names a file or folder that
// exists in the repository, and that a #fragment names a heading of the Markdown file it points
// at. Links out of the repository (http:, https:, mailto:) are not followed. Exit 1 on any
// broken link, naming the file, the line and the target.
const { existsSync, readFileSync, readdirSync, statSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');

const root = resolve(__dirname, '..');

function markdownFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

function anchorsOf(file) {
  const anchors = new Set();
  let fenced = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) anchors.add(anchorOf(heading[1]));
  }
  return anchors;
}

const files = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))].filter(existsSync);
const broken = [];
for (const file of files) {
  let fenced = false;
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (/^\s*```/.test(line)) fenced = !fenced;
      if (fenced) return;
      const text = line.replace(/`[^`]*`/g, '');
      for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)|<([a-z]+:[^>]+)>/g)) {
        const target = match[1] ?? match[2];
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const [path, fragment] = target.split('#');
        const resolved = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
        const where = `${relative(root, file)}:${index + 1}`;
        if (!resolved.startsWith(root + '/') && resolved !== root) {
          broken.push(`${where}: ${target} leaves the repository`);
        } else if (!existsSync(resolved)) {
          broken.push(`${where}: ${target} does not exist`);
        } else if (fragment && statSync(resolved).isFile() && resolved.endsWith('.md')) {
          if (!anchorsOf(resolved).has(fragment)) broken.push(`${where}: ${target} names no heading`);
        }
      }
    });
}
if (broken.length > 0) {
  console.error(broken.join('\n'));
  process.exit(1);
}
console.log(`${files.length} files, every relative link resolves`);
