/*
 * sensor_filter - reads sensor_test1 every second and sensor_test2 every 5 s and prints each
 * reading, as WAMR's samples/simple sensor does; and smooths a numeric attribute FILTER_KEY
 * ("value", what wasmlet's board and simulated sensors report) of each sensor with a moving
 * average over its last WINDOW readings, printed after the reading. WAMR's test sensors carry
 * only a name, so with them the output is WAMR's. Other sensors: -DSENSOR1='"temperature"'
 * (and SENSOR2, FILTER_KEY).
 */
#include "wasm_app.h"

#ifndef FILTER_KEY
#define FILTER_KEY "value"
#endif
#ifndef SENSOR1
#define SENSOR1 "sensor_test1"
#endif
#ifndef SENSOR2
#define SENSOR2 "sensor_test2"
#endif
#define WINDOW 4

typedef struct {
    const char *label;
    double last[WINDOW];
    int count; /* readings seen, saturating at WINDOW */
    int next;  /* slot the next reading goes to */
} filter_t;

static filter_t filter1 = { "sensor1" };
static filter_t filter2 = { "sensor2" };
static sensor_t sensor1 = NULL;
static sensor_t sensor2 = NULL;

static double filter_add(filter_t *f, double x)
{
    double sum = 0;
    int i;

    f->last[f->next] = x;
    f->next = (f->next + 1) % WINDOW;
    if (f->count < WINDOW)
        f->count++;
    for (i = 0; i < f->count; i++)
        sum += f->last[i];
    return sum / f->count;
}

static void on_reading(sensor_t sensor, attr_container_t *reading, void *user_data)
{
    filter_t *f = (filter_t *)user_data;

    (void)sensor;
    printf("### app get sensor event from %s\n", f->label);
    attr_container_dump(reading);
    if (attr_container_contain_key(reading, FILTER_KEY)) {
        double x = attr_container_get_as_double(reading, FILTER_KEY);
        printf("%s %s: %f, average of %d: %f\n", f->label, FILTER_KEY, x,
               f->count < WINDOW ? f->count + 1 : WINDOW, filter_add(f, x));
    }
}

static sensor_t open_sensor(const char *name, int interval, filter_t *f)
{
    sensor_t s = sensor_open(name, 0, on_reading, f);

    if (s == NULL)
        printf("open %s failed\n", name);
    else
        sensor_config(s, interval, 0, 0);
    return s;
}

void on_init(void)
{
    sensor1 = open_sensor(SENSOR1, 1000, &filter1);
    sensor2 = open_sensor(SENSOR2, 5000, &filter2);
}

void on_destroy(void)
{
    /* stop the readings; the runtime closes the sensors when the app stops */
    if (sensor1)
        sensor_config(sensor1, 0, 0, 0);
    if (sensor2)
        sensor_config(sensor2, 0, 0, 0);
}
