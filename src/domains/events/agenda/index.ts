/** The public agenda room: pages, feeds and the reads the API shares. */
export { agendaRoutes } from './agenda.routes.js';
export { listAgenda, listArchives, getEventPage, publicFeed, eventFeed, personalFeed } from './agenda.service.js';
