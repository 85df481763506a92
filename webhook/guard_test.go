package webhook

import (
	"net/netip"
	"testing"
)

func TestBlocked(t *testing.T) {
	tests := []struct {
		ip      string
		blocked bool
	}{
		{"8.8.8.8", false},
		{"93.184.215.14", false},
		{"2606:4700:4700::1111", false},
		{"100.63.255.255", false},
		{"127.0.0.1", true},
		{"127.255.255.254", true},
		{"::1", true},
		{"10.0.0.1", true},
		{"172.16.0.1", true},
		{"172.31.255.255", true},
		{"192.168.1.1", true},
		{"fc00::1", true},
		{"fd12:3456::1", true},
		{"169.254.169.254", true},
		{"fe80::1", true},
		{"fe80::1%eth0", true},
		{"0.0.0.0", true},
		{"0.1.2.3", true},
		{"::", true},
		{"224.0.0.1", true},
		{"239.255.255.250", true},
		{"ff02::1", true},
		{"ff01::1", true},
		{"255.255.255.255", true},
		{"100.64.0.1", true},
		{"100.100.100.200", true},
		{"192.0.0.170", true},
		{"::ffff:127.0.0.1", true},
		{"::ffff:10.1.2.3", true},
		{"::ffff:8.8.8.8", false},
		{"64:ff9b::a00:1", true},    // NAT64 of 10.0.0.1
		{"64:ff9b::808:808", false}, // NAT64 of 8.8.8.8
		{"2002:7f00:1::", true},     // 6to4 of 127.0.0.1
		{"2002:808:808::", false},   // 6to4 of 8.8.8.8
	}
	for _, tt := range tests {
		why := blocked(netip.MustParseAddr(tt.ip))
		if (why != "") != tt.blocked {
			t.Errorf("blocked(%s) = %q, want blocked=%v", tt.ip, why, tt.blocked)
		}
	}
}

func TestGuard(t *testing.T) {
	if err := guard("tcp4", "8.8.8.8:443", nil); err != nil {
		t.Errorf("guard(public) = %v", err)
	}
	for _, addr := range []string{"127.0.0.1:80", "[::1]:443", "[fe80::1%eth0]:80", "nonsense", "example.com:80"} {
		if err := guard("tcp", addr, nil); err == nil {
			t.Errorf("guard(%s) = nil, want an error", addr)
		}
	}
}
