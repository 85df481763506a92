package vin

import (
	"unicode"
	"unicode/utf8"
)

// makeAliases maps what people call a make (normalized: upper case, letters and digits only)
// to vPIC's name for it, for the nicknames and spellings a prefix or a word of the
// manufacturer's name does not catch.
var makeAliases = map[string]string{
	"CHEVY":       "CHEVROLET",
	"VW":          "VOLKSWAGEN",
	"VOLKSWAGON":  "VOLKSWAGEN",
	"MB":          "MERCEDESBENZ",
	"BENZ":        "MERCEDESBENZ",
	"MERCEDESAMG": "MERCEDESBENZ",
	"BIMMER":      "BMW",
	"BEEMER":      "BMW",
	"CADDY":       "CADILLAC",
	"INFINITY":    "INFINITI",
	"LAMBO":       "LAMBORGHINI",
	"RANGEROVER":  "LANDROVER",
	"MINICOOPER":  "MINI",
	"DODGERAM":    "RAM",
	"HD":          "HARLEYDAVIDSON",
}

// genericWords are words of manufacturer names that say nothing about the make ("HONDA MOTOR
// CO., LTD." is Honda, not Motor): a declared make equal to one of them never matches by
// manufacturer word. Words shorter than 3 characters (CO, AG, SA, US) are skipped anyway.
var genericWords = map[string]bool{
	"AMERICA": true, "AMERICAN": true, "NORTH": true, "USA": true, "INC": true, "LLC": true,
	"LTD": true, "LIMITED": true, "CORP": true, "CORPORATION": true, "COMPANY": true,
	"MOTOR": true, "MOTORS": true, "MANUFACTURING": true, "MFG": true, "INDUSTRIES": true,
	"INTERNATIONAL": true, "GROUP": true, "GMBH": true, "SPA": true, "SAS": true, "THE": true,
	"AND": true, "CAR": true, "CARS": true, "AUTO": true, "AUTOMOBILE": true, "AUTOMOBILES": true,
	"AUTOMOTIVE": true, "VEHICLE": true, "VEHICLES": true, "TRUCK": true, "TRUCKS": true,
	"TRAILER": true, "TRAILERS": true, "COACH": true, "DBA": true, "HOLDINGS": true, "PLC": true,
	"ENTERPRISES": true, "PRODUCTS": true, "WORKS": true, "SALES": true, "CUSTOM": true,
	"EQUIPMENT": true, "SERVICES": true, "MOTORCYCLE": true, "MOTORCYCLES": true,
}

// minPrefix is the shortest declared make accepted as an abbreviation of a longer one
// ("Mercedes" for "Mercedes-Benz"); shorter prefixes would match too many makes.
const minPrefix = 3

// appendNorm appends s normalized for comparison: upper case, letters and digits only, so
// "Mercedes-Benz", "MERCEDES BENZ" and "mercedes benz" are the same make.
func appendNorm(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'a' && c <= 'z':
				dst = append(dst, c-'a'+'A')
			case (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'):
				dst = append(dst, c)
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			dst = utf8.AppendRune(dst, unicode.ToUpper(r))
		}
	}
	return dst
}

// matchName compares a normalized make with a name from the table, normalizing the name on the
// fly (no allocation): equal when they are the same, prefix when norm is the start of the name.
func matchName(norm []byte, name string) (equal, prefix bool) {
	var buf [utf8.UTFMax]byte
	j := 0
	for i := 0; i < len(name); {
		c := name[i]
		var part []byte
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'a' && c <= 'z':
				buf[0] = c - 'a' + 'A'
			case (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'):
				buf[0] = c
			default:
				continue
			}
			part = buf[:1]
		} else {
			r, size := utf8.DecodeRuneInString(name[i:])
			i += size
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				continue
			}
			part = utf8.AppendRune(buf[:0], unicode.ToUpper(r))
		}
		if j == len(norm) {
			return false, true // name goes on: norm is a proper prefix
		}
		for _, b := range part {
			if j == len(norm) || norm[j] != b {
				return false, false
			}
			j++
		}
	}
	return j == len(norm), false
}

// isWordByte tells whether byte c of a name belongs to a word: an ASCII letter or digit, or any
// byte of a multi-byte character (matchName drops those that are not letters or digits).
func isWordByte(c byte) bool {
	return c >= utf8.RuneSelf || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// matchWord tells whether norm equals one word of name, words being runs of letters and digits
// ("HONDA MOTOR CO., LTD." has HONDA, MOTOR, CO and LTD).
func matchWord(norm []byte, name string) bool {
	for i := 0; i < len(name); {
		if !isWordByte(name[i]) {
			i++
			continue
		}
		j := i
		for j < len(name) && isWordByte(name[j]) {
			j++
		}
		if eq, _ := matchName(norm, name[i:j]); eq {
			return true
		}
		i = j
	}
	return false
}

// makeMatches tells whether the normalized declared make is one of rec's: equal to a make,
// a prefix of one (at least minPrefix characters), a specific word of the manufacturer's name,
// or an alias of any of those. A record without makes accepts every make, since there is
// nothing to contradict it.
func makeMatches(norm []byte, rec *Record) bool {
	if len(rec.Makes) == 0 {
		return true
	}
	if matchesRecord(norm, rec) {
		return true
	}
	if alias, ok := makeAliases[string(norm)]; ok {
		return matchesRecord([]byte(alias), rec)
	}
	return false
}

func matchesRecord(norm []byte, rec *Record) bool {
	if len(norm) == 0 {
		return false
	}
	for _, m := range rec.Makes {
		if eq, prefix := matchName(norm, m); eq || (prefix && len(norm) >= minPrefix) {
			return true
		}
	}
	if len(norm) < minPrefix || genericWords[string(norm)] {
		return false
	}
	return matchWord(norm, rec.Manufacturer)
}
