#!/usr/bin/env node
/*
 * Checks the pictures the plugins' documentation shows.
 *
 * node scripts/adopter/check-readme-images.js
 *   For every plugins/<pkg>: each image that README.md or a TechDocs page
 *   (docs/**.md) references by a relative path exists inside the package,
 *   and each one README.md references is matched by an entry of the
 *   package.json `files` list (README.md is always packed, so its images
 *   must be too). Fast: reads files only.
 * node scripts/adopter/check-readme-images.js --packed TARBALLS PKG...
 *   The same for what `yarn pack` wrote (TARBALLS/<pkg>.tgz): every image
 *   the packed README.md references is in the tarball.
 * Prints one line per package with images; exits 1 naming every problem.
 */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const micromatch = require(require.resolve('micromatch', {
  paths: [path.resolve(__dirname, '../..')],
}));

const plugins = path.resolve(__dirname, '../../plugins');

/** Relative image paths of a markdown text: ![alt](path) and <img src="path">. */
function imageReferences(markdown) {
  const refs = [];
  for (const match of markdown.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?/g)) {
    refs.push(match[1]);
  }
  for (const match of markdown.matchAll(
    /<img\b[^>]*\bsrc=["']([^"']+)["']/gi,
  )) {
    refs.push(match[1]);
  }
  return refs
    .map(ref => ref.split('#')[0].split('?')[0])
    .filter(
      ref => ref && !/^[a-z][a-z0-9+.-]*:/i.test(ref) && !ref.startsWith('/'),
    );
}

/**
 * Whether yarn packs `file` (relative to the package) for this `files`
 * list: an entry without "/" matches a path segment (a folder is packed
 * whole); an entry with "/" must match the file itself (yarn does not pack
 * the contents of a nested folder named without a glob, e.g. "docs/images").
 */
function packedByFiles(file, files) {
  return files.some(entry => {
    const pattern = entry.replace(/^\.\//, '').replace(/\/$/, '');
    if (!pattern.includes('/')) {
      return file
        .split('/')
        .some(segment => micromatch.isMatch(segment, pattern));
    }
    return micromatch.isMatch(file, pattern);
  });
}

function markdownFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(full);
    return entry.name.endsWith('.md') ? [full] : [];
  });
}

function checkWorkingTree() {
  const problems = [];
  for (const pkg of fs.readdirSync(plugins).sort()) {
    const root = path.join(plugins, pkg);
    const readme = path.join(root, 'README.md');
    if (!fs.existsSync(readme)) continue;
    const { files } = JSON.parse(
      fs.readFileSync(path.join(root, 'package.json'), 'utf8'),
    );
    let count = 0;
    for (const doc of [readme, ...markdownFiles(path.join(root, 'docs'))]) {
      const where = path.relative(plugins, doc);
      for (const ref of imageReferences(fs.readFileSync(doc, 'utf8'))) {
        count += 1;
        const target = path.resolve(path.dirname(doc), ref);
        const inPackage = path.relative(root, target);
        if (inPackage.startsWith('..')) {
          problems.push(`${where}: ${ref} is outside the package`);
        } else if (!fs.existsSync(target)) {
          problems.push(`${where}: ${ref} does not exist`);
        } else if (
          doc === readme &&
          files &&
          !packedByFiles(inPackage, files)
        ) {
          problems.push(
            `${where}: ${ref} is not packed: no entry of "files" in plugins/${pkg}/package.json matches ${inPackage}`,
          );
        }
      }
    }
    if (count > 0)
      console.log(`[readme-images] plugins/${pkg}: ${count} image references`);
  }
  return problems;
}

function checkPacked(tarballs, packages) {
  const problems = [];
  for (const pkg of packages) {
    const tarball = path.join(tarballs, `${pkg}.tgz`);
    const listing = new Set(
      execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n'),
    );
    const readme = execFileSync('tar', ['xzfO', tarball, 'package/README.md'], {
      encoding: 'utf8',
    });
    const refs = imageReferences(readme);
    const unpacked = refs.filter(
      ref =>
        !listing.has(path.posix.join('package', path.posix.normalize(ref))),
    );
    for (const ref of unpacked) {
      problems.push(`${pkg}.tgz: README.md shows ${ref}, which is not packed`);
    }
    if (refs.length > 0 && unpacked.length === 0) {
      console.log(
        `[readme-images] ${pkg}.tgz: all ${refs.length} README images packed`,
      );
    }
  }
  return problems;
}

module.exports = { imageReferences, packedByFiles };

if (require.main === module) {
  const args = process.argv.slice(2);
  const problems =
    args[0] === '--packed'
      ? checkPacked(args[1], args.slice(2))
      : checkWorkingTree();
  if (problems.length > 0) {
    console.error(`[readme-images] FAILED:\n${problems.join('\n')}`);
    process.exit(1);
  }
}
