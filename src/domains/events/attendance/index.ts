/** The attendance room: the door list, the check-in QR code's page and the attendance figures. */
export { attendanceRoutes } from './attendance.routes.js';
export { getDoorList, markAttendance, addWalkIn, getCheckin, checkInByToken, getAttendanceFigures, attendanceCsv } from './attendance.service.js';
export * as attendanceI18n from './attendance.i18n.js';
