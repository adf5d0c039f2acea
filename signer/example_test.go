package signer_test

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/iexkit/exchanger-go/signer"
)

// Sign a request and set the v1 headers. In the SDK the client's transport
// does this for every attempt, with a fresh timestamp and nonce each time.
func Example() {
	body := []byte(`{"route_id":98,"amount":"100.00","income_account":"FROM-262"}`)
	req, err := http.NewRequest(http.MethodPost,
		"https://exchanger.example/api/v3/private/exchange/orders?dry_run=1", strings.NewReader(string(body)))
	if err != nil {
		panic(err)
	}

	p := signer.Payload{
		Method:     req.Method,
		Path:       req.URL.EscapedPath(),
		RawQuery:   req.URL.RawQuery,
		BodySHA256: signer.BodySHA256(body),
		Timestamp:  "1782190000",       // time.Now().Unix(), as sent
		Nonce:      "req-20260623-001", // unique per token within the window
	}
	h := signer.NewHMAC("s3cr3t")
	req.Header.Set(signer.HeaderTimestamp, p.Timestamp)
	req.Header.Set(signer.HeaderNonce, p.Nonce)
	req.Header.Set(signer.HeaderSignature, h.Sign(p))

	for _, name := range []string{signer.HeaderTimestamp, signer.HeaderNonce, signer.HeaderSignature} {
		fmt.Printf("%s: %s\n", name, req.Header.Get(name))
	}
	fmt.Println(h) // the secret never shows
	// Output:
	// X-Api-Timestamp: 1782190000
	// X-Api-Nonce: req-20260623-001
	// X-Api-Signature: sha256=4cd3e9addb792e36bdb43edf511942328c7166a66c984243dd8382b63f993b38
	// signer.HMAC{secret:REDACTED}
}

// The server signs its own re-encoding of the query, not the bytes sent.
func ExampleCanonicalQuery() {
	for _, raw := range []string{
		"sort=-created_at&page=2",
		"filter[status][]=a&filter[status][]=b",
		"q=a+b&x=%2B",
		"a.b=1&c[d=2&flag",
		"a[1]=x&a[01]=y&a[]=z",
	} {
		fmt.Println(signer.CanonicalQuery(raw))
	}
	// Output:
	// page=2&sort=-created_at
	// filter%5Bstatus%5D%5B0%5D=a&filter%5Bstatus%5D%5B1%5D=b
	// q=a%20b&x=%2B
	// a_b=1&c_d=2&flag=
	// a%5B01%5D=y&a%5B1%5D=x&a%5B2%5D=z
}

// The canonical string is what to compare with the server's when it answers
// invalid_signature.
func ExamplePayload_Canonical() {
	p := signer.Payload{
		Method:     "get",
		Path:       "/api/v3/private/exchange/routes",
		RawQuery:   "filter[from_currency_id]=1&filter[to_currency_id]=2",
		BodySHA256: signer.EmptyBodySHA256,
		Timestamp:  "1782190000",
		Nonce:      "req-20260623-001",
	}
	fmt.Println(p.Canonical())
	// Output:
	// v1
	// GET
	// /api/v3/private/exchange/routes
	// filter%5Bfrom_currency_id%5D=1&filter%5Bto_currency_id%5D=2
	// e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
	// 1782190000
	// req-20260623-001
}

// A server, or a test double, checks a request's signature.
func ExampleHMAC_Verify() {
	p := signer.Payload{
		Method:     "GET",
		Path:       "/api/v3/private/exchange/routes",
		RawQuery:   "filter[from_currency_id]=1&filter[to_currency_id]=2",
		BodySHA256: signer.EmptyBodySHA256,
		Timestamp:  "1782190000",
		Nonce:      "req-20260623-001",
	}
	h := signer.NewHMAC("s3cr3t")
	fmt.Println(h.Verify(p, "sha256=e494b520330220b1ee01664e537d7b9945a259094d283037be798fafedb8097c"))
	fmt.Println(h.Verify(p, "e494b520330220b1ee01664e537d7b9945a259094d283037be798fafedb8097c"))
	p.Nonce = "req-20260623-002"
	fmt.Println(h.Verify(p, "sha256=e494b520330220b1ee01664e537d7b9945a259094d283037be798fafedb8097c"))
	// Output:
	// true
	// true
	// false
}

// Uploads sign the file's hash, computed while streaming it.
func ExampleFileSHA256() {
	sum, err := signer.FileSHA256(strings.NewReader("%PDF-1.7 ..."))
	if err != nil {
		panic(err)
	}
	fmt.Println(sum)
	// Output:
	// cd98c5bce101ab55699a781edbbbe1200ca6e9379791420c3eb9b9fb73cbb173
}
