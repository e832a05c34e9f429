/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireoctl bench: a small streaming JSON writer for --json.
 */
#ifndef BENCH_JSON_H
#define BENCH_JSON_H

#include <stdbool.h>
#include <stdio.h>

#include "bench.h"

#define JSON_MAX_DEPTH	16

/**
 * struct json - a JSON document being written
 * @f: where it goes.
 * @depth: open objects and arrays.
 * @first: per level: nothing written in it yet.
 */
struct json {
	FILE *f;
	unsigned int depth;
	bool first[JSON_MAX_DEPTH];
};

/*
 * Every call takes the member's key; pass NULL inside arrays and for the
 * top-level value. Numbers that are not finite are written as null.
 */
void json_init(struct json *j, FILE *f);
void json_obj_begin(struct json *j, const char *key);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, u64 val);
void json_num(struct json *j, const char *key, double val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);

#endif
