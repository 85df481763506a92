package vin

import "time"

// vinValue is the transliteration of 49 CFR 565.15(c): digits stand for themselves, letters for
// 1-9 in the order A-H, J-N, P, R, S-Z. 0xFF marks a byte that is not in the VIN alphabet
// (everything but 0-9 and A-Z, and I, O, Q, which VINs never use because they look like 1 and 0).
var vinValue = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c - '0'
	}
	for i, c := range []byte("ABCDEFGHJKLMNPRSTUVWXYZ") {
		t[c] = []byte{1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9}[i]
	}
	return t
}()

// checkWeights are the position weights of 49 CFR 565.15(d); position 9, the check digit
// itself, weighs 0.
var checkWeights = [17]int{8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2}

// CheckDigit returns the check digit (position 9) that vin should have under 49 CFR 565.15:
// '0'-'9' or 'X' for a remainder of 10. ok is false when vin is not 17 characters of the VIN
// alphabet in upper case (normalize with milepost.NormalizeVIN first); vin's own position 9 is
// ignored, so the result can fill it in.
func CheckDigit(vin string) (digit byte, ok bool) {
	if len(vin) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := vinValue[vin[i]]
		if v == 0xFF {
			return 0, false
		}
		sum += int(v) * checkWeights[i]
	}
	if r := sum % 11; r < 10 {
		return byte('0' + r), true
	}
	return 'X', true
}

// yearBase maps a position-10 code to its model year in the 1980-2009 cycle, 0 for a byte that
// is no model-year code (I, O, Q, U, Z and 0 are never used, so they are not mistaken for
// similar-looking characters).
var yearBase = func() (t [256]int) {
	for i, c := range []byte("ABCDEFGHJKLMNPRSTVWXY123456789") {
		t[c] = 1980 + i
	}
	return t
}()

// maxYearsPerCode bounds the candidates of one code: the 30-year cycle from 1980 up to a
// clock at most a few decades ahead of today.
const maxYearsPerCode = 4

// ModelYears returns the model years a position-10 code can stand for, latest first: every 30
// years from its year in 1980-2009, up to two years after the current year (a vehicle is sold
// at most about a year ahead of its model year). It returns nil for a byte that is not a
// model-year code.
func ModelYears(code byte) []int {
	var buf [maxYearsPerCode]int
	n := modelYears(&buf, code, time.Now().Year()+2)
	if n == 0 {
		return nil
	}
	return append([]int(nil), buf[:n]...)
}

// modelYears fills buf with the candidates of code up to maxYear, latest first, and returns how
// many there are, without allocating (the validator copies them only once all checks pass).
func modelYears(buf *[maxYearsPerCode]int, code byte, maxYear int) int {
	y := yearBase[code]
	if y == 0 || y > maxYear {
		return 0
	}
	for y+30 <= maxYear && y+30 <= 1980+30*maxYearsPerCode-1 {
		y += 30
	}
	n := 0
	for ; y >= 1980 && n < maxYearsPerCode; y -= 30 {
		buf[n] = y
		n++
	}
	return n
}
