# SPDX-License-Identifier: MIT
# shop.sh: the docs' example project, /tmp/shop of the user guide, with
# the revision ids the docs show. Sourced by the hidden setup of a
# document (tests/docs/run-doc-examples.py) in the folder to create it in:
#
#   . "$RETORT_SOURCE_DIR/tests/docs/shop.sh" STAGE
#
# STAGE: linear   create account table, add email, create order table
#        billing  + the billing branch from 253073286d0b (8780796a63a7,
#                 d9a3c0d4ab54), two heads
#        merged   + merge billing (70dc483af087)
#        full     + create reporting views (244dc1d9f828, a root that
#                 depends on 8780796a63a7): heads 244dc1d9f828, 70dc483af087
# The database (app.db) is not created: the document's commands do that.

shop_rev() { # ID MESSAGE REVISES UPGRADE DOWNGRADE [LABELS] [DEPENDS]
	# (no blank after an empty key's colon, as retort writes them)
	{
		printf -- '-- %s\n--\n-- Revision ID: %s\n' "$2" "$1"
		printf -- '-- Revises:%s\n' "${3:+ $3}"
		printf -- '-- Create Date: 2026-11-22 16:21:46.787251\n'
		printf -- '-- Branch Labels:%s\n' "${6:+ $6}"
		printf -- '-- Depends On:%s\n' "${7:+ $7}"
		printf -- '\n-- migrate:upgrade\n%s\n\n-- migrate:downgrade\n%s\n' "$4" "$5"
	} >"migrations/versions/$1_$(echo "$2" | tr ' ' _).sql"
}

shop_build() {
	retort init migrations >/dev/null 2>&1 || return 1
	shop_rev bcbe711414de "create account table" "" \
		"CREATE TABLE account (id INTEGER PRIMARY KEY, name VARCHAR(80) NOT NULL);" \
		"DROP TABLE account;"
	shop_rev 253073286d0b "add email to account" bcbe711414de \
		"ALTER TABLE account ADD COLUMN email VARCHAR(255);" \
		"ALTER TABLE account DROP COLUMN email;"
	shop_rev a0d6d148fb1f "create order table" 253073286d0b \
		'CREATE TABLE "order" (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id),
    total_cents INTEGER NOT NULL
);
CREATE INDEX ix_order_account_id ON "order" (account_id);' \
		'DROP TABLE "order";'
	[ "$1" = linear ] && return 0
	shop_rev 8780796a63a7 "create invoice table" 253073286d0b \
		"CREATE TABLE invoice (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES account (id));" \
		"DROP TABLE invoice;" billing
	shop_rev d9a3c0d4ab54 "add invoice due date" 8780796a63a7 \
		"ALTER TABLE invoice ADD COLUMN due_date DATE;" \
		"ALTER TABLE invoice DROP COLUMN due_date;"
	[ "$1" = billing ] && return 0
	shop_rev 70dc483af087 "merge billing" "a0d6d148fb1f, d9a3c0d4ab54" "" ""
	[ "$1" = merged ] && return 0
	shop_rev 244dc1d9f828 "create reporting views" "" \
		"CREATE VIEW invoice_count AS SELECT account_id, count(*) AS n FROM invoice GROUP BY account_id;" \
		"DROP VIEW invoice_count;" reporting 8780796a63a7
}

shop_build "${1:-full}"
