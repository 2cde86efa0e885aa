// Package replicas holds the two-replica harness (issue 20): TestTwoReplicas
// builds the skillcert binary, starts two replicas on one MariaDB database,
// one Redis and one S3 bucket (versitygw, SKILLCERT_TEST_S3_BIN), puts Debian's nginx in front with the production site
// (deploy/nginx/skillcert.conf), and proves through the balancer that the
// guarantees of docs/SCALING.md hold with two processes: the seats of a
// submit burst, one effect per official-account message, each outbox event
// sent once, plan edits seen on the other replica, an attachment read through
// the other replica, console sessions on both, and nothing lost when a replica is killed mid-burst.
//
// It runs only with SKILLCERT_TEST_REPLICAS=1 (.ci/run does):
//
//	SKILLCERT_TEST_REPLICAS=1 go test -count=1 -v -run TestTwoReplicas ./deploy/replicas/
package replicas
