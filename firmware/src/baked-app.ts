// An app kept in the firmware's program image (flash): its name and device image.
export class BakedApp {
    constructor(
        readonly name: string,
        readonly image: Buffer,
    ) {}
}
