/*
 * attr_container.h - WAMR's attribute container: a tagged list of typed key/value pairs in
 * one contiguous little-endian buffer (ABI doc section 5), the payload format FMT 99 used by
 * requests, responses, events, sensors and connection arguments. The pointer to a container
 * is the pointer to its serialized bytes, so it can be sent as is.
 */
#ifndef WASMLET_ATTR_CONTAINER_H
#define WASMLET_ATTR_CONTAINER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bh_platform.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Value types. A fixed-size type's value takes 1 << (type & 3) bytes. */
enum {
    ATTR_TYPE_BEGIN = 0,
    ATTR_TYPE_BYTE = 0,
    ATTR_TYPE_INT8 = 0,
    ATTR_TYPE_SHORT = 1,
    ATTR_TYPE_INT16 = 1,
    ATTR_TYPE_INT = 2,
    ATTR_TYPE_INT32 = 2,
    ATTR_TYPE_INT64 = 3,
    ATTR_TYPE_UINT8 = 4,
    ATTR_TYPE_UINT16 = 5,
    ATTR_TYPE_UINT32 = 6,
    ATTR_TYPE_UINT64 = 7,
    ATTR_TYPE_FLOAT = 10,
    ATTR_TYPE_DOUBLE = 11,
    ATTR_TYPE_BOOLEAN = 12,
    ATTR_TYPE_STRING = 13,    /* u16 length (with the NUL), then the bytes */
    ATTR_TYPE_BYTEARRAY = 14, /* u32 length, then the bytes */
    ATTR_TYPE_END = 14
};

/* Bit of `flags` that marks a container read-only (set by attr_container_serialize). */
#define ATTR_CONT_READONLY_SHIFT 2

/* Layout: flags u16, total_len u32 (bytes after flags), tag_len u16, tag, attr_num u16,
   attributes (key_len u16, key, type u8, value), then unused zero bytes. */
typedef struct attr_container {
    char flags[2];
    char buf[1];
} attr_container_t;

/* A new empty container with 100 spare bytes; NULL when out of memory. */
attr_container_t *attr_container_create(const char *tag);
void attr_container_destroy(const attr_container_t *attr_cont);

/* Setters add the key, or replace its value (the attribute then moves to the end). They may
   reallocate the container (+ the attribute + 100 bytes), hence the double pointer.
   They return false on bad arguments, a read-only container or no memory. */
bool attr_container_set_short(attr_container_t **p_attr_cont, const char *key, short value);
bool attr_container_set_int16(attr_container_t **p_attr_cont, const char *key, int16_t value);
bool attr_container_set_int(attr_container_t **p_attr_cont, const char *key, int value);
bool attr_container_set_int32(attr_container_t **p_attr_cont, const char *key, int32_t value);
bool attr_container_set_uint32(attr_container_t **p_attr_cont, const char *key, uint32_t value);
bool attr_container_set_int64(attr_container_t **p_attr_cont, const char *key, int64_t value);
bool attr_container_set_uint64(attr_container_t **p_attr_cont, const char *key, uint64_t value);
bool attr_container_set_byte(attr_container_t **p_attr_cont, const char *key, int8_t value);
bool attr_container_set_int8(attr_container_t **p_attr_cont, const char *key, int8_t value);
bool attr_container_set_uint8(attr_container_t **p_attr_cont, const char *key, uint8_t value);
bool attr_container_set_uint16(attr_container_t **p_attr_cont, const char *key, uint16_t value);
bool attr_container_set_float(attr_container_t **p_attr_cont, const char *key, float value);
bool attr_container_set_double(attr_container_t **p_attr_cont, const char *key, double value);
bool attr_container_set_bool(attr_container_t **p_attr_cont, const char *key, bool value);
bool attr_container_set_string(attr_container_t **p_attr_cont, const char *key, const char *value);
bool attr_container_set_bytearray(attr_container_t **p_attr_cont, const char *key,
                                  const int8_t *value, unsigned length);

const char *attr_container_get_tag(const attr_container_t *attr_cont);
uint16_t attr_container_get_attr_num(const attr_container_t *attr_cont);
bool attr_container_contain_key(const attr_container_t *attr_cont, const char *key);

/* Getters convert any numeric or boolean attribute to the asked type (C conversion rules);
   a missing key, a string or a byte array gives 0. */
short attr_container_get_as_short(const attr_container_t *attr_cont, const char *key);
int16_t attr_container_get_as_int16(const attr_container_t *attr_cont, const char *key);
int attr_container_get_as_int(const attr_container_t *attr_cont, const char *key);
int32_t attr_container_get_as_int32(const attr_container_t *attr_cont, const char *key);
uint32_t attr_container_get_as_uint32(const attr_container_t *attr_cont, const char *key);
int64_t attr_container_get_as_int64(const attr_container_t *attr_cont, const char *key);
uint64_t attr_container_get_as_uint64(const attr_container_t *attr_cont, const char *key);
int8_t attr_container_get_as_byte(const attr_container_t *attr_cont, const char *key);
int8_t attr_container_get_as_int8(const attr_container_t *attr_cont, const char *key);
uint8_t attr_container_get_as_uint8(const attr_container_t *attr_cont, const char *key);
uint16_t attr_container_get_as_uint16(const attr_container_t *attr_cont, const char *key);
float attr_container_get_as_float(const attr_container_t *attr_cont, const char *key);
double attr_container_get_as_double(const attr_container_t *attr_cont, const char *key);
bool attr_container_get_as_bool(const attr_container_t *attr_cont, const char *key);
/* Pointers into the container (valid until it changes): the value bytes of any attribute and
   their length (a string's length counts its NUL); NULL if the key is missing. */
char *attr_container_get_as_string(const attr_container_t *attr_cont, const char *key);
const int8_t *attr_container_get_as_bytearray(const attr_container_t *attr_cont, const char *key,
                                              unsigned *array_length);

/* 2 + total_len: what to send, slack included. */
unsigned attr_container_get_serialize_length(const attr_container_t *attr_cont);
/* Copies the container to buf (serialize_length bytes) and marks the copy read-only. */
bool attr_container_serialize(char *buf, const attr_container_t *attr_cont);
bool attr_container_is_constant(const attr_container_t *attr_cont);
/* Prints the tag and every attribute, in WAMR's format. */
void attr_container_dump(const attr_container_t *attr_cont);

#ifdef __cplusplus
}
#endif

#endif
