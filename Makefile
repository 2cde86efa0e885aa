# skillcert developer commands. `make test` is the test command of the README and CI.
SKILLCERT_TEST_MYSQL ?=
export SKILLCERT_TEST_MYSQL

.PHONY: run test lint fuzz bench miniprogram-test

run:
	go run ./cmd/skillcert

test:
	go test -race -count=1 -timeout 30m ./...

lint:
	go vet ./...
	go mod tidy -diff
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

fuzz:
	go test -run='^$$' -fuzz=FuzzParseIDDocument -fuzztime=20s ./domain/

bench:
	go run ./bench

miniprogram-test:
	cd miniprogram && npm ci && npm test
