#!/usr/bin/env bash
# Real package databases, manifests and binaries for the inventory tests, made by the tools that make them
# in the wild: rpm/rpmbuild (the SQLite rpmdb) and Berkeley DB's db_load (the BerkeleyDB `Packages` of
# older Red Hat-family images, filled with headers rpm wrote), `go build` against modules from the Go module
# proxy, `cargo auditable` with a crate from crates.io, npm and pip installs from their registries, Maven
# artifacts from Maven Central packed into WAR/EAR by the JDK's `jar`, and a Debian package's gemspec.
# Written under $TOOLS/fixtures/inventory-<version>; a stamp makes a second run a no-op.
set -euo pipefail
: "${TOOLS:?TOOLS must be set (scripts/setup.sh sets it)}"
FIXTURES_VERSION=1
OUT="$TOOLS/fixtures/inventory-$FIXTURES_VERSION"
[ -f "$OUT/.done" ] && exit 0
say() { printf 'setup: %s\n' "$*" >&2; }
say "building inventory fixtures into $OUT (once)"

need_apt=()
command -v rpmbuild >/dev/null || need_apt+=(rpm)
command -v db5.3_load >/dev/null || need_apt+=(db5.3-util)
if [ ${#need_apt[@]} -gt 0 ]; then
  (apt-get install -y "${need_apt[@]}" >/dev/null 2>&1) || { apt-get update >/dev/null 2>&1 && apt-get install -y "${need_apt[@]}" >/dev/null; }
fi

rm -rf "$OUT.tmp" && mkdir -p "$OUT.tmp" && cd "$OUT.tmp"

# --- RPM: three small packages (one with an epoch, one with a header larger than a database page).
mkdir -p rpm/build/SPECS
long_description=$(for i in $(seq 1 200); do printf 'Line %03d of a long description that makes this header span several database pages.\n' "$i"; done)
spec() { # name epoch version release arch
  { echo "Name: $1"; [ "$2" != - ] && echo "Epoch: $2"; echo "Version: $3"; echo "Release: $4"; echo "Summary: fixture $1"
    echo "License: MIT"; echo "BuildArch: $5"; echo "%description"; if [ "$1" = big-header ]; then echo "$long_description"; else echo "Fixture package $1."; fi
    echo "%files"; } > "rpm/build/SPECS/$1.spec"
  rpmbuild --quiet --define "_topdir $PWD/rpm/build" -bb "rpm/build/SPECS/$1.spec" >/dev/null
}
spec with-epoch 2 1.4.2 3.el9 noarch
spec plain - 0.9 1 x86_64
spec big-header - 5.0.1 7 noarch
for backend in sqlite; do
  mkdir -p "rpm/$backend"
  rpm --define "_db_backend $backend" --dbpath "$PWD/rpm/$backend" --initdb 2>/dev/null
  rpm --define "_db_backend $backend" --dbpath "$PWD/rpm/$backend" -i --justdb --nodeps --noscripts --notriggers --ignorearch --ignoreos rpm/build/RPMS/*/*.rpm 2>/dev/null
done
# Berkeley DB hash database keyed by the 4-byte header number, as rpm's bdb backend stored it (Debian's rpm has no ndb
# backend and writes no Berkeley DB any more); rpm reads it back below through its read-only bdb_ro backend.
mkdir -p rpm/bdb
python3 - "$PWD/rpm/sqlite/rpmdb.sqlite" > rpm/bdb.txt <<'PY'
import sqlite3, struct, sys
esc = lambda b: ''.join('\\%02x' % c for c in b)
db = sqlite3.connect(sys.argv[1])
print('VERSION=3\nformat=bytevalue\ntype=hash\nHEADER=END')
for hnum, blob in db.execute('select hnum, blob from Packages order by hnum'):
    print(' ' + struct.pack('<I', hnum).hex()); print(' ' + bytes(blob).hex())
print('DATA=END')
PY
db5.3_load -f rpm/bdb.txt rpm/bdb/Packages
for backend in sqlite bdb_ro; do
  dir=$backend; [ "$backend" = bdb_ro ] && dir=bdb
  rpm --define "_db_backend $backend" --dbpath "$PWD/rpm/$dir" -qa 2>/dev/null --qf '%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n' | sort > "rpm/$dir.expected"
done
rm -rf rpm/build rpm/bdb.txt

# --- Go: a binary built against known module versions.
mkdir -p go/src && cd go/src
cat > go.mod <<'GO'
module example.com/inventory/goapp

go 1.21

require golang.org/x/text v0.3.7
GO
cat > main.go <<'GO'
package main

import (
	"fmt"

	"golang.org/x/text/language"
)

func main() { fmt.Println(language.English) }
GO
GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1
GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -o ../goapp . >&2
cd ../.. && rm -rf go/src

# --- Rust: a binary built by cargo auditable with one crate from crates.io.
CARGO_AUDITABLE=$TOOLS/cargo/bin/cargo-auditable
if [ ! -x "$CARGO_AUDITABLE" ]; then cargo install cargo-auditable --version 0.7.7 --locked --root "$TOOLS/cargo" >&2; fi
mkdir -p rust/src/src
cat > rust/src/Cargo.toml <<'TOML'
[package]
name = "rsapp"
version = "0.1.0"
edition = "2021"

[dependencies]
smallvec = "=1.6.0"
TOML
echo 'fn main() { let v: smallvec::SmallVec<[u8; 4]> = smallvec::smallvec![1, 2]; println!("{}", v.len()); }' > rust/src/src/main.rs
(cd rust/src && PATH="$TOOLS/cargo/bin:$PATH" CARGO_TARGET_DIR="$PWD/target" cargo auditable build --release --quiet >&2)
cp rust/src/target/release/rsapp rust/rsapp && cp rust/src/Cargo.lock rust/Cargo.lock && rm -rf rust/src

# --- npm: installed packages (scoped, and a nested copy of ms) and the lockfile npm wrote.
mkdir -p npm/app
(cd npm/app && echo '{"name":"app","version":"1.0.0","private":true}' > package.json &&
  npm install --no-audit --no-fund --ignore-scripts --loglevel=error lodash@4.17.20 debug@2.6.8 ms@2.1.3 @babel/helper-plugin-utils@7.10.4 >&2)

# --- Python: wheels installed by pip into a site-packages directory.
python3 -m pip install --quiet --no-deps --no-compile --target python/site-packages requests==2.25.0 six==1.16.0 >&2

# --- Java: artifacts from Maven Central, and a WAR and an EAR that nest them.
mkdir -p java/war/WEB-INF/lib java/ear
for a in org.apache.commons:commons-text:1.9 org.apache.commons:commons-lang3:3.11; do
  mvn -q dependency:copy -Dartifact="$a" -DoutputDirectory="$PWD/java" >&2
done
cp java/commons-text-1.9.jar java/war/WEB-INF/lib/ && cp java/commons-lang3-3.11.jar java/war/WEB-INF/lib/
(cd java/war && jar cf ../app.war .) && cp java/app.war java/ear/ && (cd java/ear && jar cf ../app.ear app.war) && rm -rf java/war java/ear

# --- Ruby: the gemspec Debian installs for a gem (ruby-rack), with the package's version as expected value.
mkdir -p gem/deb
(cd gem/deb && apt-get download ruby-rack >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get download ruby-rack >/dev/null; })
dpkg-deb -x gem/deb/ruby-rack_*.deb gem/root
dpkg-deb -f gem/deb/ruby-rack_*.deb Version > gem/deb-version
find gem/root -name '*.gemspec' -path '*specifications*' -exec cp {} gem/ \;
rm -rf gem/root gem/deb

cd .. && rm -rf "$OUT" && mv "$OUT.tmp" "$OUT" && touch "$OUT/.done"
