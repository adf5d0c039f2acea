package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// A file that another program may rewrite through a memory mapping (which
// need not move its timestamps) is hashed again as it is sent; a change
// then ends the upload with ErrUploadChanged instead of a body the server
// refuses.
func ExampleUploadSource_HashWhileSending() {
	srv, err := clienttest.New()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	key := srv.Key()
	c, err := client.New(srv.URL, client.WithToken(key.Token), client.WithHMACSecret(key.HMACSecret))
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "statement.pdf")
	if err := os.WriteFile(path, []byte("%PDF-1.7 bank statement"), 0o600); err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	intent, err := c.CreateUploadIntent(ctx, client.UploadIntentParams{Purpose: "order_attachment", AllowedExtensions: []string{"pdf"}})
	if err != nil {
		log.Fatal(err)
	}
	in, err := c.UploadFile(ctx, intent.UUID, "statement.pdf", client.UploadPath(path).HashWhileSending())
	if errors.Is(err, client.ErrUploadChanged) {
		log.Fatal("statement.pdf changed while it was uploaded; send it again")
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(in.Status, in.File["size"])
	// Output: committed 23
}
