import type { ArchiveBucket } from "../../../providers/gcp/runtime/archive-store";

/**
 * An in-memory stand-in for `@google-cloud/storage`'s Bucket (there is no Cloud Storage emulator
 * without Docker): it keeps what `save` stored, answers `download` with a 404 ApiError shape for a
 * missing object, and lists by prefix in lexicographic order like the JSON API.
 */
export class FakeBucket implements ArchiveBucket {
  readonly objects = new Map<string, { data: Buffer; contentType: string }>();

  file(name: string) {
    return {
      save: async (data: Buffer, options: { contentType: string }) => {
        this.objects.set(name, { data: Buffer.from(data), contentType: options.contentType });
      },
      download: async (): Promise<[Buffer]> => {
        const object = this.objects.get(name);
        if (!object) throw Object.assign(new Error(`No such object: ${name}`), { code: 404 });
        return [Buffer.from(object.data)];
      },
    };
  }

  async getFiles(query: { prefix: string }): Promise<[{ name: string }[]]> {
    const names = [...this.objects.keys()].filter((name) => name.startsWith(query.prefix)).sort();
    return [names.map((name) => ({ name }))];
  }
}
