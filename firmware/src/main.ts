import * as ds from "@devicescript/core"
import { hello } from "../../interpreter/platform"
console.log("hi " + hello())
