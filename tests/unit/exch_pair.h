/*
 * tests/unit/exch_pair.h — the harness of the exchange tests
 * (check_ike_exch.c, check_ike_exch_info.c): one responder SA under test
 * (ikesvc/ike_exch.h) and our own initiator (ike_ini.h) talking to it,
 * the responder's configuration, and the steps of Main Mode and Quick
 * Mode with the checks every run makes. Tests fork (CK_FORK), so the
 * state is global: xp, set up by xp_setup() as a checked fixture.
 */
#ifndef TESTS_UNIT_EXCH_PAIR_H
#define TESTS_UNIT_EXCH_PAIR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikesvc/ike_exch.h"
#include "tests/unit/ike_ini.h"

#define PSK		"rasgate-test-psk"
#define NOW		1000
#define SRV		"192.0.2.1"	/* the responder's own address */
#define SRV_PUB		"203.0.113.5"	/* ... behind a NAT */
#define CLI		"198.51.100.7"	/* the initiator as we see it */
#define CLI_PRIV	"10.0.0.2"	/* ... its own, behind a NAT */

/* The responder, its last result, and our initiator. */
struct pair {
	struct ini		in;
	struct ike_p1		sa;
	struct ike_result	res;
	struct sockaddr_in	local;		/* responder's address */
	struct sockaddr_in	from;		/* initiator, as received */
	bool			natt_port;
	uint64_t		now;
	uint8_t			m[INI_BUF];
	size_t			mlen;
};

extern struct pair		*xp;
extern struct ike_exch_cfg	 xp_cfg;	/* the responder's */
extern bool			 xp_no_psk;	/* no PSK for any peer */

/* Checked fixture: the configuration (PSK, NAT-T, DPD), a new xp. */
void	xp_setup(void);
void	xp_teardown(void);

struct sockaddr_in xp_addr(const char *ip, uint16_t port);

/* Windows-like: its main-mode list, PSK, RFC NAT-T, IDii its address. */
void	xp_ini_default(struct ini_cfg *c);
void	xp_pair_init(const struct ini_cfg *c);

/* Feeds m to the responder from xp->from; returns its result. */
int	xp_feed(const uint8_t *m, size_t len);
/* Feeds xp->m; expects it accepted with a reply. */
void	xp_feed_ok(void);
/* Feeds xp->m; expects it dropped: rc want (0: any error), no effect. */
void	xp_feed_drop(int want);

/* Main Mode to MM4; MM5 and MM6 (floating to 4500 after a NAT); both. */
void	xp_mm1_mm4(void);
void	xp_mm5(bool initial_contact);
void	xp_mm(void);

/* An L2TP Quick Mode like Windows': ESP AES/SHA1, transport, IDs. */
void	xp_qm_default(struct ini_qm *q, uint16_t key_bits);
/* The responder's slot for a message ID, or NULL. */
struct ike_p2 *xp_slot(uint32_t msgid);
/* QM1 -> QM2; QM3 (the one in xp->m, or a new one) with key checks. */
void	xp_qm1(struct ini_qm *q);
void	xp_qm3_check(struct ini_qm *q);
void	xp_qm3(struct ini_qm *q);
void	xp_qm(struct ini_qm *q);

/* Opens the responder's encrypted Informational in xp->res. */
struct ike_payloads *xp_open_info(uint8_t *buf);

#endif
