package pglimiter_test

import (
	"context"
	"database/sql"
	"log"
	"os"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/pglimiter"
)

// Every process of a fleet that uses the key "production-crm" opens the
// same database and shares the key's rate-limit window through it.
func ExampleNew() {
	ctx := context.Background()
	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	lim, err := pglimiter.New(ctx, db, "production-crm") // a label of the key, never the token
	if err != nil {
		log.Fatal(err)
	}
	c, err := client.New(os.Getenv("IEX_API_BASE_URL"),
		client.WithToken(os.Getenv("IEX_API_TOKEN")), client.WithHMACSecret(os.Getenv("IEX_API_HMAC_SECRET")),
		client.WithLimiter(lim))
	if err != nil {
		log.Fatal(err)
	}
	_, _ = c.Scopes(ctx)
}
