package milepost

import "strings"

// NormalizePhone returns the E.164 form (+15556667777) of a phone number. It accepts the E.164
// form itself and, for US numbers, 10 digits or 11 digits starting with 1, with spaces, dots,
// dashes and parentheses ignored. Anything else is a CodeInvalid error naming param.
func NormalizePhone(param, s string) (string, error) {
	in := strings.TrimSpace(s)
	plus := strings.HasPrefix(in, "+")
	if plus {
		in = in[1:]
	}
	digits := make([]byte, 0, len(in))
	for i := 0; i < len(in); i++ {
		c := in[i]
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return "", invalidPhone(param, s)
		}
	}
	if !plus {
		switch {
		case len(digits) == 10:
			digits = append([]byte{'1'}, digits...)
		case len(digits) == 11 && digits[0] == '1':
		default:
			return "", invalidPhone(param, s)
		}
	}
	if len(digits) < 8 || len(digits) > 15 || digits[0] == '0' {
		return "", invalidPhone(param, s)
	}
	if digits[0] == '1' && len(digits) != 11 {
		return "", invalidPhone(param, s)
	}
	return "+" + string(digits), nil
}

func invalidPhone(param, s string) error {
	return Invalidf(param, "%s %s is not a phone number in E.164 format such as +15556667777.", param, quote(s))
}
