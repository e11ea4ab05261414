// Module kinds Vite handles for the renderer (side-effect CSS imports, asset URLs).
declare module '*.css' {}
declare module '*.svg' {
  const url: string
  export default url
}
