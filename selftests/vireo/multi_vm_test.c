// SPDX-License-Identifier: GPL-2.0-only
/*
 * Many VMs and vCPUs at once: 8 VMs of 2 vCPUs, one host thread per vCPU,
 * each VM seeing only its own memory; a VM with VIREO_CAP_MAX_VCPUS vCPUs
 * all running; VMs created, run and destroyed while others run.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "guest.h"
#include "harness.h"
#include "processor.h"
#include "ucall.h"
#include "vm.h"

#define NR_VMS		8
#define SYNCS		30

/* Per VM: set by the host before the run; per vCPU: counted by the guest. */
static u64 vm_seed;
static u64 counter[MAX_VCPUS];
static u64 spin_until_stop;

static void guest_counter(u64 id, u64 syncs)
{
	u64 i;

	for (i = 0; i < syncs; i++) {
		WRITE_ONCE(counter[id], counter[id] + 1);
		GUEST_SYNC(READ_ONCE(vm_seed) << 32 | id << 16 | i);
	}
	GUEST_DONE();
}

struct job {
	struct vcpu *vcpu;
	u64 seed;
	u64 syncs;
};

static void *run_job(void *arg)
{
	struct job *j = arg;
	u64 i;

	for (i = 0; i < j->syncs; i++)
		vcpu_expect_sync(j->vcpu, j->seed << 32 | j->vcpu->id << 16 | i);
	vcpu_expect_done(j->vcpu);
	return NULL;
}

static void test_8_vms_2_vcpus(void)
{
	struct job jobs[NR_VMS][2];
	pthread_t t[NR_VMS][2];
	struct vm *vms[NR_VMS];
	struct vcpu *v[2];
	int i, k;

	for (i = 0; i < NR_VMS; i++) {
		vms[i] = vm_create_with_vcpus(2, guest_counter, v);
		write_guest_global(vms[i], vm_seed, 0x100 + i);
		for (k = 0; k < 2; k++) {
			vcpu_args_set(v[k], 2, (u64)k, (u64)SYNCS);
			jobs[i][k] = (struct job){ v[k], 0x100 + i, SYNCS };
		}
	}
	for (i = 0; i < NR_VMS; i++)
		for (k = 0; k < 2; k++)
			pthread_create(&t[i][k], NULL, run_job, &jobs[i][k]);
	for (i = 0; i < NR_VMS; i++)
		for (k = 0; k < 2; k++)
			pthread_join(t[i][k], NULL);
	for (i = 0; i < NR_VMS; i++) {
		for (k = 0; k < 2; k++)
			TEST_ASSERT_EQ(read_guest_global(vms[i], counter[k]),
				       SYNCS);
		TEST_ASSERT_EQ(read_guest_global(vms[i], vm_seed), 0x100 + i);
		vm_free(vms[i]);
	}
}

static void test_max_vcpus(void)
{
	long max = vireo_check_cap(VIREO_CAP_MAX_VCPUS);
	struct job jobs[MAX_VCPUS];
	pthread_t t[MAX_VCPUS];
	struct vcpu *v[MAX_VCPUS];
	struct vm *vm;
	int i;

	TEST_ASSERT(max >= 2 && max <= 4096, "VIREO_CAP_MAX_VCPUS is %ld", max);
	if (max > MAX_VCPUS) {
		tap_diag("vireo allows %ld vCPUs; the library runs %d", max,
			 MAX_VCPUS);
		max = MAX_VCPUS;
	}
	vm = vm_create_with_vcpus(max, guest_counter, v);
	TEST_ASSERT(__vm_create_vcpu(vm, max) < 0 || max == MAX_VCPUS,
		    "vCPU id %ld accepted", max);
	for (i = 0; i < max; i++) {
		vcpu_args_set(v[i], 2, (u64)i, 5ULL);
		jobs[i] = (struct job){ v[i], 0, 5 };
		pthread_create(&t[i], NULL, run_job, &jobs[i]);
	}
	for (i = 0; i < max; i++)
		pthread_join(t[i], NULL);
	vm_free(vm);
}

static void guest_spinner(void)
{
	u64 n = 0;

	while (!READ_ONCE(spin_until_stop))
		if (++n % 100000 == 0)
			GUEST_SYNC(n);
	GUEST_DONE();
}

static void *run_spinner(void *arg)
{
	struct vcpu *vcpu = arg;
	struct ucall uc;

	while (vcpu_run_ucall(vcpu, &uc) == UCALL_SYNC)
		;
	TEST_ASSERT_EQ(uc.cmd, UCALL_DONE);
	return NULL;
}

static void test_churn(void)
{
	struct vcpu *bg[2], *vcpu;
	struct vm *bgvm[2], *vm;
	pthread_t t[2];
	int i;

	for (i = 0; i < 2; i++) {
		bgvm[i] = vm_create_with_one_vcpu(&bg[i], guest_spinner);
		pthread_create(&t[i], NULL, run_spinner, bg[i]);
	}
	for (i = 0; i < 20; i++) {
		vm = vm_create_with_one_vcpu(&vcpu, guest_counter);
		vcpu_args_set(vcpu, 2, 0ULL, 2ULL);
		write_guest_global(vm, vm_seed, i);
		vcpu_expect_sync(vcpu, (u64)i << 32);
		/* Half of them are destroyed in the middle of their work. */
		if (i % 2) {
			vcpu_expect_sync(vcpu, (u64)i << 32 | 1);
			vcpu_expect_done(vcpu);
		}
		vm_free(vm);
	}
	for (i = 0; i < 2; i++) {
		write_guest_global(bgvm[i], spin_until_stop, 1);
		pthread_join(t[i], NULL);
		vm_free(bgvm[i]);
	}
}

static const struct vtest tests[] = {
	VTEST_T(test_8_vms_2_vcpus, "8 VMs x 2 vCPUs on 16 threads, each VM its own memory", 300),
	VTEST_T(test_max_vcpus, "VIREO_CAP_MAX_VCPUS vCPUs in one VM, all running", 300),
	VTEST_T(test_churn, "20 VMs created, run and destroyed while 2 others run", 300),
};

int main(int argc, char **argv)
{
	return harness_run(tests, ARRAY_SIZE(tests), argc, argv);
}
