/*
 * attr_container.c - the attribute container (ABI doc section 5): creating, setting, getting,
 * serializing and dumping. Everything is little-endian, like Wasm itself, so fields are read
 * and written with memcpy (clang turns those into single unaligned loads and stores).
 *
 * offset 0: flags u16 | 2: total_len u32 (bytes from offset 2 to the end, slack included)
 *        6: tag_len u16 | 8: tag | 8+tag_len: attr_num u16 | attributes | zero slack
 * attribute: key_len u16 (with the NUL) | key | type u8 | value
 *
 * Every walk is bounded by total_len, so a malformed container never makes the library read
 * past its end: lookups then fail and setters refuse it.
 */
#include "natives.h"

#define SPARE_BYTES 100
#define READONLY_FLAG (1u << ATTR_CONT_READONLY_SHIFT)

static uint32 rd16(const char *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

static uint32 rd32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static void wr16(char *p, uint32 v)
{
    uint16_t w = (uint16_t)v;
    memcpy(p, &w, 2);
}

static void wr32(char *p, uint32 v)
{
    memcpy(p, &v, 4);
}

static bool is_fixed_type(uint32 type)
{
    return type <= ATTR_TYPE_UINT64 || (type >= ATTR_TYPE_FLOAT && type <= ATTR_TYPE_BOOLEAN);
}

/* Bytes of the attribute at p, or 0 if it is malformed or longer than `room`. */
static uint32 attr_size(const char *p, uint32 room)
{
    uint32 n, type, len;

    if (room < 3 || rd16(p) == 0)
        return 0;
    n = 2 + rd16(p);
    if (n + 1 > room)
        return 0;
    type = (uint8)p[n++];
    if (is_fixed_type(type))
        n += 1u << (type & 3);
    else if (type == ATTR_TYPE_STRING && n + 2 <= room)
        n += 2 + rd16(p + n);
    else if (type == ATTR_TYPE_BYTEARRAY && n + 4 <= room && (len = rd32(p + n)) <= room)
        n += 4 + len;
    else
        return 0;
    return n <= room ? n : 0;
}

/* One pass over the attributes: where they end, and the one named `key` if any. */
typedef struct {
    char *attrs_end;  /* first byte after the last attribute */
    char *limit;      /* first byte after the container */
    char *found;      /* the attribute named key, or NULL */
    uint32 found_size;
} walk_t;

static bool walk(const attr_container_t *attr_cont, const char *key, walk_t *w)
{
    char *s = (char *)attr_cont, *p;
    uint32 total = rd32(s + 2), tag_len = rd16(s + 6), num, i;
    uint32 key_size = key ? strlen(key) + 1 : 0;

    if (tag_len == 0 || total < 4 + 2 + tag_len + 2)
        return false;
    w->limit = s + 2 + total;
    w->found = NULL;
    w->found_size = 0;
    p = s + 8 + tag_len;
    num = rd16(p);
    p += 2;
    for (i = 0; i < num; i++) {
        uint32 size = attr_size(p, (uint32)(w->limit - p));

        if (size == 0)
            return false;
        if (key && rd16(p) == key_size && memcmp(p + 2, key, key_size) == 0) {
            w->found = p;
            w->found_size = size;
        }
        p += size;
    }
    w->attrs_end = p;
    return true;
}

attr_container_t *attr_container_create(const char *tag)
{
    uint32 tag_len = tag ? strlen(tag) + 1 : 1;
    uint32 total = 4 + 2 + tag_len + SPARE_BYTES;
    char *s = (char *)calloc(1, 2 + total);

    if (s == NULL)
        return NULL;
    wr32(s + 2, total);
    wr16(s + 6, tag_len);
    if (tag)
        memcpy(s + 8, tag, tag_len);
    return (attr_container_t *)s;
}

void attr_container_destroy(const attr_container_t *attr_cont)
{
    free((void *)attr_cont);
}

static void write_attr(char *p, const char *key, uint32 key_size, uint32 type,
                       const void *value, uint32 value_len)
{
    wr16(p, key_size);
    memcpy(p + 2, key, key_size);
    p += 2 + key_size;
    *p++ = (char)type;
    if (type == ATTR_TYPE_STRING) {
        wr16(p, value_len);
        p += 2;
    }
    else if (type == ATTR_TYPE_BYTEARRAY) {
        wr32(p, value_len);
        p += 4;
    }
    memcpy(p, value, value_len);
}

/* Adds or replaces key. A replaced attribute of another size is removed and the new one
   appended; when the space is short the container is reallocated with
   (the attribute + 100) more bytes, as WAMR does. */
static bool set_attr(attr_container_t **p_attr_cont, const char *key, uint32 type,
                     const void *value, uint32 value_len)
{
    char *s, *grown, *tail;
    void *copy = NULL;
    uint32 key_size, size, used, tail_len;
    walk_t w;

    if (!p_attr_cont || !(s = (char *)*p_attr_cont) || !key || !*key
        || attr_container_is_constant(*p_attr_cont) || !walk(*p_attr_cont, key, &w))
        return false;
    key_size = strlen(key) + 1;
    size = 2 + key_size + 1 + value_len
           + (type == ATTR_TYPE_STRING ? 2 : type == ATTR_TYPE_BYTEARRAY ? 4 : 0);
    if (key_size > 0xFFFF || (type == ATTR_TYPE_STRING && value_len > 0xFFFF))
        return false;

    if (w.found && w.found_size == size) {
        write_attr(w.found, key, key_size, type, value, value_len);
        return true;
    }
    /* the value may be a part of this container, which is about to move */
    if ((const char *)value >= s && (const char *)value < w.limit) {
        if ((copy = malloc(value_len)) == NULL)
            return false;
        memcpy(copy, value, value_len);
        value = copy;
    }
    used = (uint32)(w.attrs_end - s) - w.found_size;
    tail = w.found ? w.found + w.found_size : w.attrs_end;
    tail_len = (uint32)(w.attrs_end - tail);

    if (used + size > (uint32)(w.limit - s)) {
        uint32 total = rd32(s + 2) + size + SPARE_BYTES;

        if ((grown = (char *)calloc(1, 2 + total)) == NULL) {
            free(copy);
            return false;
        }
        if (w.found) {
            memcpy(grown, s, (uint32)(w.found - s));
            memcpy(grown + (w.found - s), tail, tail_len);
        }
        else
            memcpy(grown, s, used);
        wr32(grown + 2, total);
        free(s);
        s = grown;
        *p_attr_cont = (attr_container_t *)s;
    }
    else if (w.found) {
        memmove(w.found, tail, tail_len);
        /* keep the slack zero when the new attribute is the shorter one */
        if (size < w.found_size)
            memset(s + used + size, 0, w.found_size - size);
    }
    write_attr(s + used, key, key_size, type, value, value_len);
    if (!w.found) {
        char *num = s + 8 + rd16(s + 6);
        wr16(num, rd16(num) + 1);
    }
    free(copy);
    return true;
}

bool attr_container_set_short(attr_container_t **p_attr_cont, const char *key, short value)
{
    return set_attr(p_attr_cont, key, ATTR_TYPE_SHORT, &value, 2);
}

bool attr_container_set_int16(attr_container_t **p_attr_cont, const char *key, int16_t value)
{
    return set_attr(p_attr_cont, key, ATTR_TYPE_INT16, &value, 2);
}

bool attr_container_set_int(attr_container_t **p_attr_cont, const char *key, int value)
{
    return set_attr(p_attr_cont, key, ATTR_TYPE_INT, &value, 4);
}

bool attr_container_set_int32(attr_container_t **p_attr_cont, const char *key, int32_t value)
{
    return set_attr(p_attr_cont, key, ATTR_TYPE_INT32, &value, 4);
}

bool attr_container_set_uint32(attr_container_t **p_attr_cont, const char *key, uint32_t value)
{
    return set_attr(p_attr_cont, key, ATTR_TYPE_UINT32, &value, 4);
}

bool attr_container_set_int64(attr_container_t **p_attr_cont, const char *key, int64_t value)
{
    return set_attr(p_attr_cont, key, ATTR_TYPE_INT64, &value, 8);
}

bool attr_container_set_uint64(attr_container_t **p_attr_cont, const char *key, uint64_t value)
{
    return set_attr(p_attr_cont, key, ATTR_TYPE_UINT64, &value, 8);
}

bool attr_container_set_byte(attr_container_t **p_attr_cont, const char *key, int8_t value)
{
    return set_attr(p_attr_cont, key, ATTR_TYPE_BYTE, &value, 1);
}

bool attr_container_set_int8(attr_container_t **p_attr_cont, const char *key, int8_t value)
{
    return set_attr(p_attr_cont, key, ATTR_TYPE_INT8, &value, 1);
}

bool attr_container_set_uint8(attr_container_t **p_attr_cont, const char *key, uint8_t value)
{
    return set_attr(p_attr_cont, key, ATTR_TYPE_UINT8, &value, 1);
}

bool attr_container_set_uint16(attr_container_t **p_attr_cont, const char *key, uint16_t value)
{
    return set_attr(p_attr_cont, key, ATTR_TYPE_UINT16, &value, 2);
}

bool attr_container_set_float(attr_container_t **p_attr_cont, const char *key, float value)
{
    return set_attr(p_attr_cont, key, ATTR_TYPE_FLOAT, &value, 4);
}

bool attr_container_set_double(attr_container_t **p_attr_cont, const char *key, double value)
{
    return set_attr(p_attr_cont, key, ATTR_TYPE_DOUBLE, &value, 8);
}

bool attr_container_set_bool(attr_container_t **p_attr_cont, const char *key, bool value)
{
    int8_t b = value ? 1 : 0;
    return set_attr(p_attr_cont, key, ATTR_TYPE_BOOLEAN, &b, 1);
}

bool attr_container_set_string(attr_container_t **p_attr_cont, const char *key,
                               const char *value)
{
    return value && set_attr(p_attr_cont, key, ATTR_TYPE_STRING, value, strlen(value) + 1);
}

bool attr_container_set_bytearray(attr_container_t **p_attr_cont, const char *key,
                                  const int8_t *value, unsigned length)
{
    return value && set_attr(p_attr_cont, key, ATTR_TYPE_BYTEARRAY, value, length);
}

/* The type byte of key's attribute (its value follows), or NULL. */
static const char *find_attr_type(const attr_container_t *attr_cont, const char *key)
{
    walk_t w;

    if (!attr_cont || !key || !walk(attr_cont, key, &w) || !w.found)
        return NULL;
    return w.found + 2 + rd16(w.found);
}

/* A numeric or boolean attribute: 1 with *i set (integers, bools), 2 with *d set (floats),
   0 for anything else. */
static int read_number(const attr_container_t *attr_cont, const char *key, int64_t *i,
                       double *d)
{
    const char *t = find_attr_type(attr_cont, key), *v;
    float f;

    if (!t)
        return 0;
    v = t + 1;
    switch ((uint8)*t) {
        case ATTR_TYPE_BYTE: *i = (int8_t)*v; return 1;
        case ATTR_TYPE_SHORT: *i = (int16_t)rd16(v); return 1;
        case ATTR_TYPE_INT: *i = (int32_t)rd32(v); return 1;
        case ATTR_TYPE_UINT8:
        case ATTR_TYPE_BOOLEAN: *i = (uint8)*v; return 1;
        case ATTR_TYPE_UINT16: *i = rd16(v); return 1;
        case ATTR_TYPE_UINT32: *i = rd32(v); return 1;
        case ATTR_TYPE_INT64: memcpy(i, v, 8); return 1;
        case ATTR_TYPE_UINT64: { uint64_t u; memcpy(&u, v, 8); *i = (int64_t)u; *d = (double)u; return 3; }
        case ATTR_TYPE_FLOAT: memcpy(&f, v, 4); *d = f; return 2;
        case ATTR_TYPE_DOUBLE: memcpy(d, v, 8); return 2;
        default: return 0;
    }
}

static int64_t get_integer(const attr_container_t *attr_cont, const char *key)
{
    int64_t i = 0;
    double d = 0;
    int kind = read_number(attr_cont, key, &i, &d);
    return kind == 2 ? (int64_t)d : i;
}

static double get_real(const attr_container_t *attr_cont, const char *key)
{
    int64_t i = 0;
    double d = 0;
    int kind = read_number(attr_cont, key, &i, &d);
    return kind == 1 ? (double)i : d;
}

short attr_container_get_as_short(const attr_container_t *attr_cont, const char *key)
{
    return (short)get_integer(attr_cont, key);
}

int16_t attr_container_get_as_int16(const attr_container_t *attr_cont, const char *key)
{
    return (int16_t)get_integer(attr_cont, key);
}

int attr_container_get_as_int(const attr_container_t *attr_cont, const char *key)
{
    return (int)get_integer(attr_cont, key);
}

int32_t attr_container_get_as_int32(const attr_container_t *attr_cont, const char *key)
{
    return (int32_t)get_integer(attr_cont, key);
}

uint32_t attr_container_get_as_uint32(const attr_container_t *attr_cont, const char *key)
{
    return (uint32_t)get_integer(attr_cont, key);
}

int64_t attr_container_get_as_int64(const attr_container_t *attr_cont, const char *key)
{
    return get_integer(attr_cont, key);
}

uint64_t attr_container_get_as_uint64(const attr_container_t *attr_cont, const char *key)
{
    int64_t i = 0;
    double d = 0;
    int kind = read_number(attr_cont, key, &i, &d);
    return kind == 2 ? (uint64_t)d : (uint64_t)i;
}

int8_t attr_container_get_as_byte(const attr_container_t *attr_cont, const char *key)
{
    return (int8_t)get_integer(attr_cont, key);
}

int8_t attr_container_get_as_int8(const attr_container_t *attr_cont, const char *key)
{
    return (int8_t)get_integer(attr_cont, key);
}

uint8_t attr_container_get_as_uint8(const attr_container_t *attr_cont, const char *key)
{
    return (uint8_t)get_integer(attr_cont, key);
}

uint16_t attr_container_get_as_uint16(const attr_container_t *attr_cont, const char *key)
{
    return (uint16_t)get_integer(attr_cont, key);
}

float attr_container_get_as_float(const attr_container_t *attr_cont, const char *key)
{
    return (float)get_real(attr_cont, key);
}

double attr_container_get_as_double(const attr_container_t *attr_cont, const char *key)
{
    return get_real(attr_cont, key);
}

bool attr_container_get_as_bool(const attr_container_t *attr_cont, const char *key)
{
    int64_t i = 0;
    double d = 0;
    int kind = read_number(attr_cont, key, &i, &d);
    return kind == 2 ? d != 0 : i != 0;
}

const int8_t *attr_container_get_as_bytearray(const attr_container_t *attr_cont, const char *key,
                                              unsigned *array_length)
{
    const char *t = find_attr_type(attr_cont, key), *v;
    uint32 type;

    if (!t || !array_length)
        return NULL;
    type = (uint8)*t;
    v = t + 1;
    if (type == ATTR_TYPE_STRING) {
        *array_length = rd16(v);
        return (const int8_t *)(v + 2);
    }
    if (type == ATTR_TYPE_BYTEARRAY) {
        *array_length = rd32(v);
        return (const int8_t *)(v + 4);
    }
    *array_length = 1u << (type & 3);
    return (const int8_t *)v;
}

char *attr_container_get_as_string(const attr_container_t *attr_cont, const char *key)
{
    unsigned len;
    return (char *)attr_container_get_as_bytearray(attr_cont, key, &len);
}

const char *attr_container_get_tag(const attr_container_t *attr_cont)
{
    return attr_cont ? (const char *)attr_cont + 8 : NULL;
}

uint16_t attr_container_get_attr_num(const attr_container_t *attr_cont)
{
    const char *s = (const char *)attr_cont;
    return (uint16_t)rd16(s + 8 + rd16(s + 6));
}

bool attr_container_contain_key(const attr_container_t *attr_cont, const char *key)
{
    return key && *key && find_attr_type(attr_cont, key) != NULL;
}

unsigned attr_container_get_serialize_length(const attr_container_t *attr_cont)
{
    return attr_cont ? 2 + rd32((const char *)attr_cont + 2) : 0;
}

bool attr_container_serialize(char *buf, const attr_container_t *attr_cont)
{
    if (!buf || !attr_cont)
        return false;
    memcpy(buf, attr_cont, attr_container_get_serialize_length(attr_cont));
    wr16(buf, rd16(buf) | READONLY_FLAG);
    return true;
}

bool attr_container_is_constant(const attr_container_t *attr_cont)
{
    return attr_cont && (rd16((const char *)attr_cont) & READONLY_FLAG) != 0;
}

/* The dump prints what WAMR's prints, line for line (uint64 is labelled int64 there too). */
static const char *const g_type_names[] = {
    "byte", "short", "int", "int64", "uint8", "uint16", "uint32", "int64",
    0, 0, "float", "double", "bool", "string", "byte array",
};

void attr_container_dump(const attr_container_t *attr_cont)
{
    const char *s = (const char *)attr_cont, *p, *limit;
    uint32 num, i;

    if (!attr_cont)
        return;
    printf("Attribute container dump:\n");
    printf("Tag: %s\n", s + 8);
    if (rd16(s + 6) == 0 || rd32(s + 2) < 4 + 2 + rd16(s + 6) + 2)
        return;
    printf("Attribute list:\n");
    limit = s + 2 + rd32(s + 2);
    p = s + 8 + rd16(s + 6);
    num = rd16(p);
    p += 2;
    for (i = 0; i < num; i++) {
        uint32 size = attr_size(p, (uint32)(limit - p)), type;
        const char *v;

        if (size == 0)
            break;
        v = p + 2 + rd16(p);
        type = (uint8)*v++;
        printf("  key: %s, type: %s", p + 2, g_type_names[type]);
        if (type == ATTR_TYPE_INT64 || type == ATTR_TYPE_UINT64) {
            uint64_t u;
            memcpy(&u, v, 8);
            printf(", value: 0x%llx\n", u);
        }
        else if (type == ATTR_TYPE_FLOAT) {
            float f;
            memcpy(&f, v, 4);
            printf(", value: %f\n", (double)f);
        }
        else if (type == ATTR_TYPE_DOUBLE) {
            double d;
            memcpy(&d, v, 8);
            printf(", value: %f\n", d);
        }
        else if (type == ATTR_TYPE_STRING)
            printf(", value: %s\n", v + 2);
        else if (type == ATTR_TYPE_BYTEARRAY)
            printf(", length: %d\n", (int)rd32(v));
        else {
            uint32 x = type == ATTR_TYPE_SHORT || type == ATTR_TYPE_UINT16 ? rd16(v)
                       : type == ATTR_TYPE_INT || type == ATTR_TYPE_UINT32 ? rd32(v)
                                                                           : (uint8)*v;
            printf(", value: 0x%x\n", x);
        }
        p += size;
    }
    printf("\n");
}
