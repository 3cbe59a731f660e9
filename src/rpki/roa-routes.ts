export function registerRoaRoutes(): void {}
