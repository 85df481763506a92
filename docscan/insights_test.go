package docscan

import (
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 20, 15, 30, 0, 0, time.UTC)

func day(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// Document texts as ExtractPDFText or OCR give them: cells split by tabs or runs of spaces.
const (
	utilityBill = "Cascade Power & Light\tAccount Number 4471-220-993\n" +
		"PO Box 4404\tBill Date\tOct 15, 2026\n" +
		"Portland, OR 97208-4404\tDue Date\tNov 5, 2026\n" +
		"\n" +
		"JOSÉ A. RODRÍGUEZ JR\n" +
		"4821 SE Hawthorne Blvd Apt 12\n" +
		"Portland, OR 97215-3322\n" +
		"\n" +
		"Service address: 4821 SE Hawthorne Blvd Apt 12, Portland, OR 97215\n" +
		"Service period: Sep 12, 2026 – Oct 11, 2026\n" +
		"Electric service 812 kWh\t$91.37\n" +
		"Total amount due\t$91.37"

	bankStatement = "FIRST HARBOR BANK\tStatement Period: 09/16/2026 through 10/15/2026\n" +
		"Member FDIC\tPage 1 of 3\n" +
		"\n" +
		"O'CONNOR, ANN-MARIE\n" +
		"77 West 43rd Street, Unit 5C\n" +
		"New York, NY 10036\n" +
		"\n" +
		"Checking Account Summary\n" +
		"Beginning balance on 09/16/2026\t$2,938.96\n" +
		"Deposits and other credits\t$2,450.00\n" +
		"Withdrawals and other debits\t-$4,184.19\n" +
		"Ending balance on 10/15/2026\t$1,204.77\n" +
		"09/18   Direct deposit - ACME CORP      2,450.00\n" +
		"10/01   Rent payment - check 1042      -2,100.00"

	insuranceDeclaration = "Evergreen Mutual Insurance Company\n" +
		"HOMEOWNERS POLICY DECLARATIONS\n" +
		"Policy Number: HO-5521-0098\n" +
		"Date Issued: 08/15/2026\n" +
		"Policy Period: 09/01/2026 to 09/01/2027 12:01 AM standard time\n" +
		"Named Insured: Dr. Kwame O. Mensah III\n" +
		"Insured Location:\n" +
		"1200 Northeast Broadway Street, Apartment 7\n" +
		"Denver, Colorado 80203\n" +
		"Coverage A - Dwelling\t$350,000\n" +
		"Deductible\t$1,000"

	lease = "RESIDENTIAL LEASE AGREEMENT\n" +
		"This Lease is made on 2026-10-01 between Maple Property Management LLC (Landlord) and\n" +
		"Tenant(s): Mary-Kate Van Der Berg and Liam Van Der Berg\n" +
		"Premises: 55 Elm St., #2, Springfield, MA 01103\n" +
		"Term: 12 months beginning 01-Nov-2026 and ending 31-Oct-2027.\n" +
		"Monthly rent: $1,850.00. Security deposit: $1,850.00.\n" +
		"Tenant date of birth: 03/12/1990"

	// OCR of a photographed phone bill: columns as runs of spaces, a joint addressee.
	ocrPhoneBill = "NORTHWIND WIRELESS                      Statement Date: 15-Oct-2026\n" +
		"                                          Account: 5512 0098\n" +
		"JOHN & JANE SMITH\n" +
		"1402 W 2nd Ave\n" +
		"Anchorage AK 99501\n" +
		"Amount due by 11/09/26 ............ $120.14\n" +
		"Internet service 10/01/26 - 10/31/26"

	creditCardNoLabels = "Sapphire Card Statement\n" +
		"Closing Date 10/28/26\n" +
		"Payment Due Date 11/25/26\n" +
		"Minimum payment due $35.00\n" +
		"Credit limit $8,000\n" +
		"Lee Ann M\n" +
		"Remit to: Card Services\n" +
		"PO Box 6294\n" +
		"Carol Stream, IL 60197-6294\n" +
		"Questions? Ann Lee, your account holder since 2019, can call us."
)

func TestParseInsights(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		first      string
		last       string
		full       string
		addr       Address
		date       *time.Time
		dateLabel  string
		kind       string
		extraNames []string
	}{
		{"utility bill", utilityBill, "JOSÉ", "RODRÍGUEZ", "JOSÉ A. RODRÍGUEZ JR",
			Address{"4821 SE Hawthorne Blvd", "Apt 12", "Portland", "OR", "97215"},
			day(2026, 10, 15), "Bill Date", "utility bill", nil},
		{"bank statement, LAST, FIRST", bankStatement, "ANN-MARIE", "O'CONNOR", "O'CONNOR, ANN-MARIE",
			Address{"77 West 43rd Street", "Unit 5C", "New York", "NY", "10036"},
			day(2026, 10, 15), "Statement Period", "bank statement", nil},
		{"insurance declaration", insuranceDeclaration, "Kwame", "Mensah", "Dr. Kwame O. Mensah III",
			Address{"1200 Northeast Broadway Street", "Apartment 7", "Denver", "CO", "80203"},
			day(2026, 8, 15), "Date Issued", "insurance declaration", nil},
		{"lease", lease, "Mary-Kate", "Van Der Berg", "Mary-Kate Van Der Berg",
			Address{"55 Elm St.", "#2", "Springfield", "MA", "01103"},
			day(2026, 10, 1), "This Lease is made on", "lease agreement", []string{"Liam Van Der Berg"}},
		{"OCR phone bill, joint addressee", ocrPhoneBill, "JOHN", "SMITH", "JOHN SMITH",
			Address{"1402 W 2nd Ave", "", "Anchorage", "AK", "99501"},
			day(2026, 10, 15), "Statement Date", "utility bill", []string{"JANE SMITH"}},
		{"credit card: remittance block is not the addressee", creditCardNoLabels, "", "", "",
			Address{"PO Box 6294", "", "Carol Stream", "IL", "60197-6294"},
			day(2026, 10, 28), "Closing Date", "credit card statement", nil},
		{"nothing to read", "Thank you for your payment.", "", "", "", Address{}, nil, "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ins := ParseInsights(tt.text, now)
			if ins.FirstName != tt.first || ins.LastName != tt.last || ins.FullName != tt.full {
				t.Errorf("name %q %q %q, want %q %q %q", ins.FirstName, ins.LastName, ins.FullName, tt.first, tt.last, tt.full)
			}
			if ins.Address != tt.addr {
				t.Errorf("address %+v, want %+v", ins.Address, tt.addr)
			}
			if (ins.DocumentDate == nil) != (tt.date == nil) || tt.date != nil && !ins.DocumentDate.Equal(*tt.date) {
				t.Errorf("date %v, want %v", ins.DocumentDate, tt.date)
			}
			if ins.DateLabel != tt.dateLabel {
				t.Errorf("date label %q, want %q", ins.DateLabel, tt.dateLabel)
			}
			if ins.Kind != tt.kind {
				t.Errorf("kind %q, want %q", ins.Kind, tt.kind)
			}
			for _, n := range tt.extraNames {
				found := false
				for _, x := range ins.Names {
					found = found || x == n
				}
				if !found {
					t.Errorf("names %q lack %q", ins.Names, n)
				}
			}
		})
	}
}

func TestDocumentDate(t *testing.T) {
	tests := []struct {
		name string
		text string
		want *time.Time
	}{
		{"statement date beats later due date", "Statement Date: 10/15/2026\nPayment due: 11/05/2026", day(2026, 10, 15)},
		{"bill date beats service period end", "Service period 09/01/2026 - 09/30/2026\nBill date Oct 2, 2026", day(2026, 10, 2)},
		{"long month name", "October 15, 2026\nDear customer,", day(2026, 10, 15)},
		{"ISO", "Issued 2026-10-15", day(2026, 10, 15)},
		{"day-month-year", "Statement date: 15-Oct-2026", day(2026, 10, 15)},
		{"day month year", "Date: 3 September 2026", day(2026, 9, 3)},
		{"ordinal", "Bill date: Sept. 3rd, 2026", day(2026, 9, 3)},
		{"two-digit year", "Statement Date 10/15/26", day(2026, 10, 15)},
		{"label above value", "Statement Date\n10/15/2026", day(2026, 10, 15)},
		{"label in the cell before", "Bill Date\tOct 15, 2026\tDue Date\tNov 5, 2026", day(2026, 10, 15)},
		{"future issue date ignored", "Statement Date: 12/15/2026\nPrevious payment received 10/30/2026", day(2026, 10, 30)},
		{"two days ahead tolerated", "Bill date: 11/22/2026", day(2026, 11, 22)},
		{"due date only", "Please pay by 11/25/2026", nil},
		{"period end when no issue date", "Statement period: 09/16/2026 through 10/15/2026", day(2026, 10, 15)},
		{"latest unlabelled date", "09/02/2026 deposit\n10/02/2026 rent\n08/30/2026 fee", day(2026, 10, 2)},
		{"birth date never", "Date of birth: 03/12/1990", nil},
		{"customer since never", "Customer since 01/05/2019", nil},
		{"impossible dates", "02/30/2026 13/01/2026", nil},
		{"US order, not day first", "Statement Date: 03/04/2026", day(2026, 3, 4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseInsights(tt.text, now).DocumentDate
			if (got == nil) != (tt.want == nil) || got != nil && !got.Equal(*tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestKind(t *testing.T) {
	tests := map[string]string{
		utilityBill:          "utility bill",
		bankStatement:        "bank statement",
		insuranceDeclaration: "insurance declaration",
		lease:                "lease agreement",
		"Property Tax Bill\nTax year 2026\nParcel 12-34-567\nAssessed value $310,000": "tax document",
		"Hello": "",
	}
	for text, want := range tests {
		if got := ParseInsights(text, now).Kind; got != want {
			t.Errorf("%.30q: got %q, want %q", text, got, want)
		}
	}
}

// TestParseInsightsHuge checks that a text of nothing but addresses, names and dates (a
// hostile OCR result) is read within the caps: first candidates kept, the rest ignored.
func TestParseInsightsHuge(t *testing.T) {
	block := "ANN LEE\n12 Main St\nAustin, TX 78701\nStatement Date: 10/15/2026\n"
	ins := ParseInsights(strings.Repeat(block, 1<<16), now)
	if len(ins.Names) != 1 || len(ins.Addresses) != 1 || ins.DocumentDate == nil || len(ins.Text) > maxParseBytes {
		t.Fatalf("%d names, %d addresses, date %v, %d bytes", len(ins.Names), len(ins.Addresses), ins.DocumentDate, len(ins.Text))
	}
}

func BenchmarkParseInsights(b *testing.B) {
	for b.Loop() {
		ParseInsights(utilityBill+"\n"+bankStatement, now)
	}
}
