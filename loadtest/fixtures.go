package loadtest

import (
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"

	"github.com/milepost/milepost/vin"
)

// Vehicles are created as 2003 Honda Accords: WMI 1HG is Honda's in the vPIC table and model
// year code 3 stands for 2003, so the server's VIN checks (check digit, WMI, year, make) pass.
const (
	vehicleMake  = "Honda"
	vehicleModel = "Accord"
	vehicleYear  = 2003
)

// vinChars is the VIN alphabet (no I, O, Q).
const vinChars = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"

// RandomVIN returns a random VIN that passes the North-American check digit: WMI 1HG,
// a random vehicle descriptor and serial, model year 2003.
func RandomVIN() string {
	b := []byte("1HG00000030000000")
	for _, i := range []int{3, 4, 5, 6, 7, 10} {
		b[i] = vinChars[mrand.N(len(vinChars))]
	}
	for i := 11; i < 17; i++ {
		b[i] = byte('0' + mrand.N(10))
	}
	b[8], _ = vin.CheckDigit(string(b)) // every byte is from the VIN alphabet, so it cannot fail
	return string(b)
}

// randomPhone returns a US number in the 555 exchange used for fiction, with random line digits.
func randomPhone() string {
	return fmt.Sprintf("+1%03d555%04d", 200+mrand.N(800), mrand.N(10000))
}

// randomPlate returns a 7-character plate starting with B (for bench).
func randomPlate() string {
	const chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
	b := []byte("B000000")
	for i := 1; i < len(b); i++ {
		b[i] = chars[mrand.N(len(chars))]
	}
	return string(b)
}

// randomUUID returns a version 4 UUID (Jifeline ticket ids).
func randomUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
