/* wa-inc/timer_wasm_app.h - WAMR's include path for ../timer_wasm_app.h. */
#include "../timer_wasm_app.h"
