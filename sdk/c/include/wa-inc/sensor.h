/* wa-inc/sensor.h - WAMR's include path for ../sensor.h. */
#include "../sensor.h"
