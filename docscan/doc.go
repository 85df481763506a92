// Package docscan reads proof-of-address documents — utility bills, bank and card statements,
// insurance declarations, leases — and compares what they say with the user's profile.
//
// The pipeline is text → insights → comparisons:
//
//   - ExtractPDFText gives the text layer of an uploaded PDF; photographed documents get their
//     text from OCR elsewhere. Extraction is written for untrusted input: it never panics, and
//     PDFLimits bound its memory and work.
//   - ParseInsights finds the addressee's name, the address, the issue date and the kind of
//     document in that text.
//   - CompareName, CompareAddress (or BestAddressMatch) and OlderThan judge them, each with a
//     plain-English reason for reviewers; ReviewDocument combines them into the OnHold
//     decision, and CheckHomePhoto compares a home photo's GPS with the address.
//
// The package does no I/O and keeps no state; docs/proof-of-address.md gives the rules and
// their thresholds.
package docscan
