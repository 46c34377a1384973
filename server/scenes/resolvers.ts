import type { ApiContext } from '../context.js';
import { deleteScene, listScenes, readScene, saveScene, sceneJson, type SavedScene } from './scenes.js';

export const scenesResolvers = {
  Query: {
    // The guard has refused a caller without a role before this runs.
    apiCaller: (_: unknown, __: unknown, ctx: ApiContext) => ({ name: ctx.caller.name, role: ctx.caller.role }),
    savedScenes: (_: unknown, __: unknown, ctx: ApiContext) => listScenes(ctx),
    savedScene: (_: unknown, args: { name: string }, ctx: ApiContext) => readScene(ctx, args.name),
  },
  Mutation: {
    saveScene: (_: unknown, args: { name: string; scene: string; overwrite?: boolean | null }, ctx: ApiContext) => saveScene(ctx, args),
    deleteScene: (_: unknown, args: { name: string }, ctx: ApiContext) => deleteScene(ctx, args.name),
  },
  SavedScene: {
    scene: (s: SavedScene, _: unknown, ctx: ApiContext) => sceneJson(ctx, s),
  },
};
