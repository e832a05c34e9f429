// SPDX-License-Identifier: GPL-2.0-only
/*
 * as_user: run a command as another uid and gid, without capabilities.
 *
 * usage: as_user UID COMMAND [ARGS]
 *
 * The test bed's busybox has no setpriv --reuid nor a passwd file for su;
 * the scenario scripts use this to run vireoctl as an unprivileged user.
 * setresuid() to a nonzero uid clears every capability.
 */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	uid_t uid;

	if (argc < 3) {
		fprintf(stderr, "usage: as_user UID COMMAND [ARGS]\n");
		return 2;
	}
	uid = atoi(argv[1]);
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid)) {
		perror("as_user");
		return 126;
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
