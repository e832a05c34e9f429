// SPDX-License-Identifier: GPL-2.0-only
/*
 * tiny_vmm: a VMM for the management plane's scenario scripts.
 *
 * usage: tiny_vmm NAME [count|halt|out]
 *
 * Creates the VM NAME with a tiny guest (guest.c), prints
 * "tiny_vmm: VM ID NAME running" and runs it until VIREO_RUN reports an
 * exit: exit status 0 for VIREO_EXIT_DESTROYED (what vireoctl destroy
 * causes), 1 for anything else. Scripts stop it with vireoctl destroy.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest.h"

int main(int argc, char **argv)
{
	struct tinyvm t;
	int sys, r;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: tiny_vmm NAME [count|halt|out]\n");
		return 2;
	}
	sys = open("/dev/vireo", O_RDWR | O_CLOEXEC);
	if (sys < 0) {
		perror("tiny_vmm: /dev/vireo");
		return 1;
	}
	r = tinyvm_create(&t, sys, argv[1], tinyvm_parse_guest(argc > 2 ? argv[2] : "count"));
	if (r) {
		fprintf(stderr, "tiny_vmm: creating VM %s: %s\n", argv[1], strerror(-r));
		return 1;
	}
	close(sys);
	printf("tiny_vmm: VM %u %s running\n", t.id, argv[1]);
	fflush(stdout);
	do {
		r = tinyvm_run(&t);
	} while (r == -EINTR);
	if (r == VIREO_EXIT_DESTROYED) {
		printf("tiny_vmm: VM %u %s destroyed after %u steps\n", t.id, argv[1],
		       tinyvm_counter(&t));
		tinyvm_close(&t);
		return 0;
	}
	if (r < 0)
		fprintf(stderr, "tiny_vmm: VIREO_RUN: %s\n", strerror(-r));
	else
		fprintf(stderr, "tiny_vmm: unexpected exit reason %d\n", r);
	tinyvm_close(&t);
	return 1;
}
