// Every capability that reacts to a changed friend registers its listener here (app/friends/changes.server.ts).
// One import per capability; the import registers it.
import "../rich-menus/listener.server";
export {};
