// Removing an element from an array, the same on DeviceScript (no splice) and on Node (no insert).
export function removeAt(a: any[], i: number): void {
    for (let j = i; j + 1 < a.length; j++) a[j] = a[j + 1]
    a.pop()
}
