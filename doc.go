// Package milepost is the domain of the Milepost server: partners, users, vehicles, uploads and
// (in later packages) check-ins, rewards and odometer history. It holds the types, the pure
// business rules and the service interfaces that the adapters (sqlstore, the API packages, blob,
// photo, vin) implement or consume. It imports only the standard library.
package milepost
