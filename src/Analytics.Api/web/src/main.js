// The web app's entry point (bundled by scripts/web.sh with esbuild into wwwroot/build/app.js).
import { wireSignIn } from "./signin.js";
import { showSession, wireShell } from "./shell.js";

wireShell();
wireSignIn(showSession);
showSession();
